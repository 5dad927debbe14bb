public import DepotModel

/// One provider per ``ProviderKind``, sharing a command runner and a device waiter.
///
/// The reconciler asks for the provider of a pool's kind:
/// `try await providers.provider(for: pool.kind).create(id, sizeKiB: size, in: pool)`.
public struct StorageProviders: Sendable {
    private let file: FileProvider
    private let fileThin: FileProvider
    private let lvm: LVMProvider
    private let lvmThin: LVMProvider
    private let zfs: ZFSProvider
    private let zfsThin: ZFSProvider
    /// Runs what no one provider owns: the copy of a snapshot into a volume of another pool.
    let runner: any CommandRunner
    let commandTimeout: Duration

    /// Creates every provider.
    ///
    /// - Parameters:
    ///   - runner: Runs the storage tools.
    ///   - deviceWaiter: Waits for new devices.
    ///   - lvmSettings: How LVM commands run (a private `LVM_SYSTEM_DIR` in tests).
    ///   - commandTimeout: The timeout of FILE and ZFS commands.
    public init(
        runner: any CommandRunner,
        deviceWaiter: DeviceWaiter = DeviceWaiter(),
        lvmSettings: LVMProvider.Settings = LVMProvider.Settings(),
        commandTimeout: Duration = Command.defaultTimeout
    ) {
        self.runner = runner
        self.commandTimeout = commandTimeout
        self.file = FileProvider(
            kind: .file,
            runner: runner,
            deviceWaiter: deviceWaiter,
            commandTimeout: commandTimeout
        )
        self.fileThin = FileProvider(
            kind: .fileThin,
            runner: runner,
            deviceWaiter: deviceWaiter,
            commandTimeout: commandTimeout
        )
        self.lvm = LVMProvider(kind: .lvm, runner: runner, deviceWaiter: deviceWaiter, settings: lvmSettings)
        self.lvmThin = LVMProvider(kind: .lvmThin, runner: runner, deviceWaiter: deviceWaiter, settings: lvmSettings)
        self.zfs = ZFSProvider(kind: .zfs, runner: runner, deviceWaiter: deviceWaiter, commandTimeout: commandTimeout)
        self.zfsThin = ZFSProvider(
            kind: .zfsThin,
            runner: runner,
            deviceWaiter: deviceWaiter,
            commandTimeout: commandTimeout
        )
    }

    /// The provider for `kind`.
    public func provider(for kind: ProviderKind) -> any StorageProvider {
        switch kind {
        case .diskless: DisklessProvider()
        case .file: self.file
        case .fileThin: self.fileThin
        case .lvm: self.lvm
        case .lvmThin: self.lvmThin
        case .zfs: self.zfs
        case .zfsThin: self.zfsThin
        }
    }
}
