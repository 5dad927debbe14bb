import Testing

/// Tests that attach loop devices or run LVM on this host. They run one at a time (TESTING.md,
/// Hygiene): every suite that touches the host's storage is nested here.
@Suite("Host storage (loop devices, LVM)", .serialized, .timeLimit(.minutes(2)))
struct HostStorageTests {}
