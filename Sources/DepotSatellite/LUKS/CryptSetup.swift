import DepotWire

/// The `cryptsetup` calls of the LUKS layer, as argv arrays with the passphrase on standard input.
///
/// A passphrase never appears in an argument (which `ps` and every log line would show) nor in a
/// file: `--key-file -` reads it whole from standard input, and `luksChangeKey` reads the old and
/// the new one as two lines there, as it reads them from a terminal.
struct CryptSetup: Sendable {
    let runner: any CommandRunner

    /// LUKS2 with the caller's options (`StorDriver/LuksFormatOptions`): the PBKDF among them.
    func format(_ device: String, passphrase: VolumeSecret, options: [String]) async throws(CommandError) {
        let arguments = ["luksFormat", "--batch-mode", "--type", "luks2"] + options + ["--key-file", "-", device]
        try await self.runner.runChecked(Command("cryptsetup", arguments, timeout: Self.keySlotTimeout, stdin: Array(passphrase.text.utf8)))
    }

    /// Opens the header's volume key into `/dev/mapper/<name>`.
    func open(_ device: String, as name: String, passphrase: VolumeSecret, allowDiscards: Bool, options: [String]) async throws(CommandError) {
        let arguments = ["open", "--type", "luks"] + (allowDiscards ? ["--allow-discards"] : []) + options + ["--key-file", "-", device, name]
        try await self.runner.runChecked(Command("cryptsetup", arguments, timeout: Self.keySlotTimeout, stdin: Array(passphrase.text.utf8)))
    }

    /// Whether `passphrase` opens a key slot of the header (exit code 2 is cryptsetup's "no key
    /// available with this passphrase").
    func takes(_ device: String, passphrase: VolumeSecret) async throws(CommandError) -> Bool {
        let command = Command(
            "cryptsetup", ["open", "--test-passphrase", "--type", "luks", "--key-file", "-", device], timeout: Self.keySlotTimeout,
            stdin: Array(passphrase.text.utf8))
        return try await self.runner.runChecked(command, acceptingExitCodes: [0, 2]).exitCode == 0
    }

    /// Replaces the key slot `old` opens with one that `new` opens; `options` are the PBKDF's.
    func changeKey(_ device: String, from old: VolumeSecret, to new: VolumeSecret, options: [String]) async throws(CommandError) {
        let input = Array("\(old.text)\n\(new.text)\n".utf8)
        try await self.runner.runChecked(
            Command("cryptsetup", ["luksChangeKey", "--batch-mode"] + options + [device], timeout: Self.keySlotTimeout, stdin: input))
    }

    /// Grows the mapping to what the device below now offers.
    func resize(_ name: String, passphrase: VolumeSecret) async throws(CommandError) {
        try await self.runner.runChecked(
            Command("cryptsetup", ["resize", "--key-file", "-", name], timeout: Self.keySlotTimeout, stdin: Array(passphrase.text.utf8)))
    }

    /// Removes the mapping; the data stays encrypted on the device below.
    func close(_ name: String) async throws(CommandError) {
        try await self.runner.runChecked(Command("cryptsetup", ["close", name]))
    }

    /// A key slot's PBKDF may take seconds by design (argon2id's default aims at 2 s and may use a
    /// gigabyte); a busy node must not time it out.
    static let keySlotTimeout: Duration = .seconds(120)

    /// The options of a format that also shape a new key slot (`--pbkdf`, its cost, `--hash`,
    /// `--iter-time`), for `luksChangeKey`, which refuses the format-only ones.
    static func keySlotOptions(_ formatOptions: [String]) -> [String] {
        var result: [String] = []
        var index = formatOptions.startIndex
        while index < formatOptions.endIndex {
            let option = formatOptions[index]
            let name = option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option
            let takesValue = !option.contains("=")
            if Self.keySlotOptionNames.contains(name) {
                result.append(option)
                if takesValue, index + 1 < formatOptions.endIndex {
                    result.append(formatOptions[index + 1])
                    index += 1
                }
            } else if takesValue, index + 1 < formatOptions.endIndex, !formatOptions[index + 1].hasPrefix("-") {
                index += 1
            }
            index += 1
        }
        return result
    }

    private static let keySlotOptionNames: Set<String> = [
        "--pbkdf", "--pbkdf-force-iterations", "--pbkdf-memory", "--pbkdf-parallel", "--iter-time", "-i", "--hash", "-h",
    ]
}
