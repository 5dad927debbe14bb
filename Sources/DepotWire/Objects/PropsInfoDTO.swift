/// `PropsInfo`: what one property key takes, as the `GET …/properties/info` calls list it (keyed by
/// the property key). Empty fields are left out, as LINSTOR leaves them out.
public struct PropsInfoDTO: Codable, Sendable, Equatable {
    public var info: String?
    public var propType: String?
    public var value: String?
    public var dflt: String?
    public var unit: String?

    public init(info: String? = nil, propType: String? = nil, value: String? = nil, dflt: String? = nil, unit: String? = nil) {
        self.info = info
        self.propType = propType
        self.value = value
        self.dflt = dflt
        self.unit = unit
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case info
        case propType = "prop_type"
        case value, dflt, unit
    }
}
