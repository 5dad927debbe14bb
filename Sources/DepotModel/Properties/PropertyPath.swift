/// LINSTOR's rules for a free-form property key: a path of namespaces separated by '/' (its
/// `PropsContainer`), as the key-value store uses them.
///
/// Empty parts do not count: `/ns//key/` is stored as `ns/key`. python-linstor's `KV` relies on it,
/// sending `/ns/key` and reading back `ns/key`. Lengths are counted in UTF-16 code units, as Java
/// counts them, so that a key LINSTOR accepts is accepted here and the other way round.
public enum PropertyPath {
    /// The longest key as given, and (with one more for the separator LINSTOR counts) as stored.
    public static let maximumLength = 256

    /// The key as stored: the non-empty parts of `text` joined by '/'; `""` for `/` or an empty text.
    public static func normalized(_ text: String) -> String {
        text.split(separator: "/").joined(separator: "/")
    }

    /// Why LINSTOR refuses `text` as a key, or nil when it accepts it.
    ///
    /// A key may have 256 characters as given; without its empty parts (a leading '/' still
    /// counts) it must leave room for one more, LINSTOR's separator.
    public static func problem(with text: String) -> String? {
        let given = text.utf16.count
        let sanitized = (text.hasPrefix("/") ? 1 : 0) + Self.normalized(text).utf16.count
        guard given > Self.maximumLength || sanitized + 1 > Self.maximumLength else { return nil }
        return "The key has \(given) characters; a key may have at most \(Self.maximumLength), "
            + "and at most \(Self.maximumLength - 1) once empty namespaces ('//', a trailing '/') are left out."
    }

    /// Whether deleting `namespace` removes the stored key `key`: every key below the namespace, at
    /// any depth, but not a key of the namespace's own name. The empty namespace (`""`, `/`) holds
    /// every key.
    public static func key(_ key: String, isIn namespace: String) -> Bool {
        let prefix = Self.normalized(namespace)
        return prefix.isEmpty || key.hasPrefix(prefix + "/")
    }
}
