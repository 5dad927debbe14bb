/// How many words an option takes after its name.
enum OptionArity: Sendable, Equatable {
    /// `--flag`: no value.
    case flag
    /// `--name VALUE`.
    case single
    /// `--name [VALUE]`: the value may be left out.
    case optionalSingle
    /// `--name [VALUE ...]`: greedy, takes every following word that is not an option.
    case zeroOrMore
    /// `--name VALUE [VALUE ...]`: greedy, at least one.
    case oneOrMore
}

/// One option of a command, as LINSTOR's client declares it with argparse.
struct OptionSpec {
    /// Every spelling, e.g. `["-s", "--storage-pool"]`.
    var names: [String]
    /// The key the parsed value is stored under.
    var dest: String
    var arity: OptionArity
    var metavar: String?
    var help: String
    /// Allowed values (compared after ``lowercase`` is applied).
    var choices: [String]?
    /// LINSTOR applies `str.lower` to some values (`--node-type Combined` is `combined`).
    var lowercase = false
    /// For greedy options whose command uses only this many values: when the command's positional
    /// arguments would otherwise go missing, the option keeps only these and gives the rest back.
    var keepsWhenPositionalsMissing: Int?
    /// Options kept for compatibility that the help does not list.
    var isHidden = false
    /// `action='append'`: each occurrence adds its values instead of replacing them.
    var appends = false

    init(
        _ names: [String],
        dest: String? = nil,
        _ arity: OptionArity = .flag,
        metavar: String? = nil,
        help: String = "",
        choices: [String]? = nil,
        lowercase: Bool = false,
        keepsWhenPositionalsMissing: Int? = nil,
        isHidden: Bool = false,
        appends: Bool = false
    ) {
        self.names = names
        let long = names.first { $0.hasPrefix("--") } ?? names[0]
        self.dest = dest ?? String(long.drop { $0 == "-" }).replacingDashes()
        self.arity = arity
        self.metavar = metavar
        self.help = help
        self.choices = choices
        self.lowercase = lowercase
        self.keepsWhenPositionalsMissing = keepsWhenPositionalsMissing
        self.isHidden = isHidden
        self.appends = appends
    }

    /// The name shown in messages: all spellings joined by `/`, as argparse does.
    var displayName: String { self.names.joined(separator: "/") }

    /// The placeholder for the value in usage lines.
    var valueName: String {
        if let metavar = self.metavar { return metavar }
        if let choices = self.choices { return "{" + choices.joined(separator: ",") + "}" }
        return self.dest.uppercased()
    }
}

/// How many words a positional argument takes.
enum PositionalArity: Sendable, Equatable {
    case one
    case optional
    case zeroOrMore
    case oneOrMore

    var minimum: Int { self == .one || self == .oneOrMore ? 1 : 0 }
}

/// One positional argument of a command.
struct PositionalSpec {
    var dest: String
    var arity: PositionalArity
    var help: String
    var metavar: String?

    init(_ dest: String, _ arity: PositionalArity = .one, help: String = "", metavar: String? = nil) {
        self.dest = dest
        self.arity = arity
        self.help = help
        self.metavar = metavar
    }

    var displayName: String { self.metavar ?? self.dest }
}

extension String {
    /// `storage-pool` → `storage_pool`: argparse's `dest` spelling.
    func replacingDashes() -> String {
        String(self.map { $0 == "-" ? "_" : $0 })
    }
}
