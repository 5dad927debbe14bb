/// The satellite's release, reported to the controller in ``Welcome``.
public enum SatelliteVersion {
    public static let current = "0.1.0"
}
