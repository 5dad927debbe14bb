/// Answers "can this kernel use module X?" from `/sys/module`, `modules.builtin` and `modules.dep`.
struct KernelModules: Sendable {
    /// How a module is present.
    enum Presence: Sendable, Hashable {
        /// `/sys/module/<name>` exists (or a more specific sign such as `/proc/misc`).
        case loaded
        /// Compiled into the kernel (`modules.builtin`).
        case builtIn
        /// Installed for this kernel (`modules.dep`); the kernel loads it on demand.
        case loadable
        /// None of the above.
        case absent
    }

    let system: any ProbeSystem
    /// The running kernel's release (`/proc/sys/kernel/osrelease`).
    let release: String?
    private let builtIn: Set<String>
    private let installed: Set<String>

    init(system: any ProbeSystem) {
        self.system = system
        let release = system.readFile("/proc/sys/kernel/osrelease")?.trimmingWhitespace
        self.release = release
        let directory = "/lib/modules/\(release ?? "")"
        self.builtIn = release == nil ? [] : Self.moduleNames(system.readFile("\(directory)/modules.builtin") ?? "")
        self.installed = release == nil ? [] : Self.moduleNames(system.readFile("\(directory)/modules.dep") ?? "")
    }

    /// Where module `name` (`dm-thin-pool` or `dm_thin_pool`) stands.
    func presence(of name: String) -> Presence {
        let canonical = Self.canonical(name)
        if self.system.fileExists("/sys/module/\(canonical)") { return .loaded }
        if self.builtIn.contains(canonical) { return .builtIn }
        if self.installed.contains(canonical) { return .loadable }
        return .absent
    }

    /// Module names use `-` and `_` interchangeably; the kernel shows `_`.
    static func canonical(_ name: String) -> String { name.replacing("-", with: "_") }

    /// The module names in a `modules.builtin` or `modules.dep` file
    /// (`kernel/drivers/md/dm-thin-pool.ko.xz: kernel/…` → `dm_thin_pool`).
    static func moduleNames(_ text: String) -> Set<String> {
        var names: Set<String> = []
        for line in text.split(separator: "\n") {
            let path = line.split(separator: ":", maxSplits: 1).first ?? line
            guard let file = path.split(separator: "/").last, let range = file.firstRange(of: ".ko") else { continue }
            names.insert(Self.canonical(String(file[file.startIndex..<range.lowerBound])))
        }
        return names
    }
}
