/// A table drawn exactly as LINSTOR's client draws it (`linstor_client/table.py`).
///
/// Frames are `╭─╮ ╞═╡ ┊ ╞┄╡ ╰─╯` in UTF-8 and `+-+ |=| | |-| +-+` in ASCII; cells are padded to the
/// widest value of their column; a coloured cell carries its padding inside the colour codes; rows
/// are sorted by the group-by columns (the first column unless `-g` says otherwise), comparing
/// integer-looking values as numbers; cells with newlines span several lines and then dotted
/// separators appear between rows.
struct TextTable {
    struct Column {
        var name: String
        var color: TerminalColor?
        var alignRight = false
    }

    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var color: TerminalColor?

        init(_ text: String, _ color: TerminalColor? = nil) {
            self.text = text
            self.color = color
        }

        init(stringLiteral value: String) { self.init(value) }
    }

    var columns: [Column] = []
    var rows: [[Cell]] = []
    var groupBy: [String] = []
    let colors: Bool
    let utf8: Bool

    /// - Parameters:
    ///   - colors: LINSTOR's `not --no-color`; `-p` turns colours off.
    ///   - utf8: UTF-8 frames; `-p` turns them off.
    init(colors: Bool, utf8: Bool, pastable: Bool = false) {
        self.colors = colors && !pastable
        self.utf8 = utf8 && !pastable
    }

    mutating func addColumn(_ name: String, color: TerminalColor? = nil, alignRight: Bool = false) {
        self.columns.append(Column(name: name, color: self.colors ? color : nil, alignRight: alignRight))
    }

    mutating func addRow(_ cells: [Cell]) {
        self.rows.append(cells.map { self.colors ? $0 : Cell($0.text) })
    }

    /// The table's text, one line per row line, each ending in a newline.
    func render() -> String {
        var rows = self.rows
        var header = self.columns.map { $0.name.replacingUnderscores() }
        let lowered = self.columns.map { $0.name.lowercased() }
        let groupIndexes = self.groupBy.compactMap { lowered.firstIndex(of: $0.lowercased()) }
        if !groupIndexes.isEmpty {
            for rowIndex in rows.indices {
                for column in groupIndexes where column < rows[rowIndex].count {
                    if let number = Int(rows[rowIndex][column].text) { rows[rowIndex][column].text = String(number) }
                }
            }
            rows = Self.sorted(rows, by: groupIndexes)
        }
        if header.isEmpty { header = [] }
        var widths = header.map { $0.unicodeScalars.count }
        var isMultiLine = false
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                let lines = cell.text.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 { isMultiLine = true }
                widths[index] = max(widths[index], lines.map { $0.unicodeScalars.count }.max() ?? 0)
            }
        }
        let frame = self.utf8 ? Frame.utf8 : Frame.ascii
        let fillCount = widths.reduce(0, +) + 3 * widths.count - 1
        func separator(_ left: String, _ fill: String, _ right: String) -> String {
            left + String(repeating: fill, count: max(0, fillCount)) + right + "\n"
        }
        var output = separator(frame.topLeft, frame.straight, frame.topRight)
        output += self.line(header.map { Cell($0) }, widths: widths, frame: frame, colorColumns: false)
        output += separator(frame.middleLeft, frame.header, frame.middleRight)
        for (index, row) in rows.enumerated() {
            for line in Self.expand(row) {
                output += self.line(line, widths: widths, frame: frame, colorColumns: true)
            }
            if isMultiLine, index < rows.count - 1 {
                output += separator(frame.middleLeft, frame.dotted, frame.middleRight)
            }
        }
        output += separator(frame.bottomLeft, frame.straight, frame.bottomRight)
        return output
    }

    private func line(_ cells: [Cell], widths: [Int], frame: Frame, colorColumns: Bool) -> String {
        var text = frame.pipe
        for (index, width) in widths.enumerated() {
            let cell = index < cells.count ? cells[index] : Cell("")
            let padding = String(repeating: " ", count: max(0, width - cell.text.unicodeScalars.count))
            let padded =
                self.columns.indices.contains(index) && self.columns[index].alignRight
                ? padding + cell.text : cell.text + padding
            let color =
                cell.color ?? (colorColumns && self.columns.indices.contains(index) ? self.columns[index].color : nil)
            text += " " + (color.map { $0.rawValue + padded + TerminalColor.reset } ?? padded) + " " + frame.pipe
        }
        return text + "\n"
    }

    /// Splits a row whose cells contain newlines into several lines; colours stay with their column.
    private static func expand(_ row: [Cell]) -> [[Cell]] {
        let split = row.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        let height = split.map(\.count).max() ?? 1
        guard height > 1 else { return [row] }
        return (0..<height).map { lineIndex in
            row.indices.map { column in
                Cell(lineIndex < split[column].count ? split[column][lineIndex] : "", row[column].color)
            }
        }
    }

    /// A stable sort on the group-by columns: numbers by value, text by code point.
    private static func sorted(_ rows: [[Cell]], by columns: [Int]) -> [[Cell]] {
        rows.enumerated().sorted { lhs, rhs in
            for column in columns {
                let left = column < lhs.element.count ? lhs.element[column].text : ""
                let right = column < rhs.element.count ? rhs.element[column].text : ""
                if left == right { continue }
                if let leftNumber = Int(left), let rightNumber = Int(right) { return leftNumber < rightNumber }
                return Array(left.unicodeScalars.map(\.value)).lexicographicallyPrecedes(
                    right.unicodeScalars.map(\.value)
                )
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    private struct Frame {
        let topLeft, topRight, bottomLeft, bottomRight, middleLeft, middleRight: String
        let dotted, straight, pipe, header: String

        static let utf8 = Frame(
            topLeft: "╭",
            topRight: "╮",
            bottomLeft: "╰",
            bottomRight: "╯",
            middleLeft: "╞",
            middleRight: "╡",
            dotted: "┄",
            straight: "─",
            pipe: "┊",
            header: "═"
        )
        static let ascii = Frame(
            topLeft: "+",
            topRight: "+",
            bottomLeft: "+",
            bottomRight: "+",
            middleLeft: "|",
            middleRight: "|",
            dotted: "-",
            straight: "-",
            pipe: "|",
            header: "="
        )
    }
}

extension String {
    /// Headers print underscores as spaces.
    func replacingUnderscores() -> String {
        String(self.map { $0 == "_" ? " " : $0 })
    }
}
