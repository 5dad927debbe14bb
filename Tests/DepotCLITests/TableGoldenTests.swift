import DepotTestSupport
import Testing

@testable import DepotCLI

@MainActor
@Suite struct TableGoldenTests {
    let colored = TextTable(colors: true, utf8: false)

    @Test func nodeList() throws {
        let text = NodeTables.list(
            try Fixture.json("nodes.json"),
            table: self.colored,
            groupBy: ["Node"],
            showProps: [],
            showAuxProps: false
        )
        #expect(text == (try Fixture.golden("node-list.txt")))
    }

    @Test func nodeListUTF8() throws {
        let text = NodeTables.list(
            try Fixture.json("nodes.json"),
            table: TextTable(colors: true, utf8: true),
            groupBy: ["Node"],
            showProps: [],
            showAuxProps: false
        )
        #expect(text == (try Fixture.golden("node-list-utf8.txt")))
    }

    @Test func nodeListWithAuxPropsAndShownProperty() throws {
        let text = NodeTables.list(
            try Fixture.json("nodes.json"),
            table: self.colored,
            groupBy: ["Node"],
            showProps: [ShowProp(key: "Aux/site", header: "Site")],
            showAuxProps: true
        )
        #expect(text == (try Fixture.golden("node-list-aux.txt")))
    }

    @Test func storagePoolListWithReports() throws {
        let text = StoragePoolTables.list(
            try Fixture.json("storage-pools.json"),
            table: self.colored,
            groupBy: ["StoragePool"],
            showProps: [],
            printer: ReplyPrinter(colors: true, warningsAreErrors: false, program: "linstor")
        )
        #expect(text == (try Fixture.golden("storage-pool-list.txt")))
    }

    @Test func resourceDefinitionList() throws {
        let text = DefinitionTables.resourceDefinitions(
            try Fixture.json("resource-definitions.json"),
            table: self.colored,
            groupBy: ["ResourceName"],
            showProps: [],
            showExternalName: true,
            showPorts: true
        )
        #expect(text == (try Fixture.golden("resource-definition-list.txt")))
    }

    @Test func resourceGroupList() throws {
        let text = GroupTables.resourceGroups(
            try Fixture.json("resource-groups.json"),
            volumeNumbers: [:],
            table: self.colored,
            groupBy: ["ResourceGroup"],
            showProps: []
        )
        #expect(text == (try Fixture.golden("resource-group-list.txt")))
    }

    @Test func resourceListStates() throws {
        let text = ResourceTables.resources(
            try Fixture.json("resources.json"),
            table: self.colored,
            options: .init(groupBy: ["ResourceName"], showProps: [])
        )
        #expect(text == (try Fixture.golden("resource-list.txt")))
    }

    @Test func resourceListFaultyByNodeWithPorts() throws {
        let text = ResourceTables.resources(
            try Fixture.json("resources.json"),
            table: self.colored,
            options: .init(groupBy: ["node"], showProps: [], showDRBDPorts: true, faultyOnly: true)
        )
        #expect(text == (try Fixture.golden("resource-list-faulty.txt")))
    }

    @Test func volumeList() throws {
        let text = ResourceTables.volumes(
            try Fixture.json("resources.json"),
            table: self.colored,
            showProps: [],
            hideReplication: false,
            printer: ReplyPrinter(colors: true, warningsAreErrors: false)
        )
        #expect(text == (try Fixture.golden("volume-list.txt")))
    }

    @Test func volumeListPastableWithoutReplication() throws {
        let text = ResourceTables.volumes(
            try Fixture.json("resources.json"),
            table: TextTable(colors: false, utf8: true, pastable: true),
            showProps: [],
            hideReplication: true,
            printer: ReplyPrinter(colors: false, warningsAreErrors: false)
        )
        #expect(text == (try Fixture.golden("volume-list-plain.txt")))
    }

    @Test func numericGroupValuesSortAsNumbers() {
        var table = TextTable(colors: false, utf8: false)
        table.addColumn("Nr")
        table.groupBy = ["Nr"]
        for value in ["10", "9", "100"] { table.addRow([TextTable.Cell(value)]) }
        #expect(
            table.render().split(separator: "\n").dropFirst(3).dropLast().map(String.init) == [
                "| 9   |", "| 10  |", "| 100 |",
            ]
        )
    }

    @Test func multiLineCellsGetDottedSeparators() {
        var table = TextTable(colors: false, utf8: true)
        table.addColumn("A")
        table.addColumn("B_C")
        table.addRow(["x", "1\n2"])
        table.addRow(["y", "3"])
        let expected = """
            ╭─────────╮
            ┊ A ┊ B C ┊
            ╞═════════╡
            ┊ x ┊ 1   ┊
            ┊   ┊ 2   ┊
            ╞┄┄┄┄┄┄┄┄┄╡
            ┊ y ┊ 3   ┊
            ╰─────────╯

            """
        #expect(table.render() == expected)
    }
}
