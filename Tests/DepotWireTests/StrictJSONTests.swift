import DepotWire
import Foundation
import Testing

@Suite struct StrictJSONTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try StrictJSON.decode(type, from: Data(json.utf8))
    }

    @Test func decodesWhatPythonLinstorSends() throws {
        let node = try self.decode(
            NodeDTO.self,
            #"{"name":"romulus","type":"Combined","net_interfaces":[{"name":"default","address":"127.0.0.11","satellite_port":3366,"satellite_encryption_type":"Plain"}]}"#)
        #expect(node.name == "romulus")
        #expect(node.netInterfaces?.first?.satellitePort == 3366)
        let resources = try self.decode(
            [ResourceCreateDTO].self, #"[{"resource":{"node_name":"vulcan","props":{"StorPoolName":"thinpool"}}}]"#)
        #expect(resources.first?.resource.props?["StorPoolName"] == "thinpool")
    }

    @Test func rejectsUnknownFieldsAtAnyDepth() {
        #expect { try self.decode(NodeDTO.self, #"{"name":"a","type":"Satellite","bogus":1}"#) } throws: {
            ($0 as? RequestDecodingError)?.description == "bogus: unknown field"
        }
        #expect { try self.decode(NodeDTO.self, #"{"name":"a","type":"S","net_interfaces":[{"name":"d","address":"1.2.3.4","x":1}]}"#) } throws: {
            ($0 as? RequestDecodingError)?.description == "net_interfaces[0].x: unknown field"
        }
        #expect(throws: RequestDecodingError.self) {
            try self.decode(ResourceDefinitionCreateDTO.self, #"{"resource_definition":{"name":"r","layer_data":[{"type":"DRBD","extra":true}]}}"#)
        }
    }

    @Test func keepsArbitraryPropertyKeys() throws {
        let body = try self.decode(PropsModifyDTO.self, #"{"override_props":{"Aux/anything":"x","DrbdOptions/Net/protocol":"C"}}"#)
        #expect(body.overrideProps?.count == 2)
    }

    /// The Proxmox plugin sends `"Aux/pm/vmid": 100`; LINSTOR's Jackson stores the number's text.
    @Test func takesNumbersAndBooleansWhereStringsAreExpected() throws {
        let body = try self.decode(
            PropsModifyDTO.self, #"{"override_props":{"Aux/pm/vmid":100,"Aux/ratio":1.5,"DrbdOptions/ExactSize":false},"delete_props":[7]}"#)
        #expect(body.overrideProps == ["Aux/pm/vmid": "100", "Aux/ratio": "1.5", "DrbdOptions/ExactSize": "false"])
        #expect(body.deleteProps == ["7"])
        let resize = try self.decode(VolumeDefinitionModifyDTO.self, #"{"size_kib":10485760.5}"#)
        #expect(resize.sizeKiB == 10_485_760, "a fractional size is cut as Jackson does")
        let query = try self.decode(QueryAllSizeInfoRequestDTO.self, #"{"ignore_cache_older_than_sec":"60"}"#)
        #expect(query.ignoreCacheOlderThanSec == 60)
        let node = try self.decode(NodeDTO.self, #"{"name":42,"type":"Satellite"}"#)
        #expect(node.name == "42")
        #expect { try self.decode(PropsModifyDTO.self, #"{"override_props":{"Aux/x":{"nested":1}}}"#) } throws: {
            ($0 as? RequestDecodingError)?.description.contains("override_props.Aux/x: expected a string") == true
        }
        #expect { try self.decode(PropsModifyDTO.self, #"{"override_props":{"Aux/x":null}}"#) } throws: {
            ($0 as? RequestDecodingError) != nil
        }
    }

    @Test func reportsWrongTypesAndMissingFields() {
        #expect { try self.decode(VolumeDefinitionCreateDTO.self, #"{"volume_definition":{"size_kib":"big"}}"#) } throws: {
            ($0 as? RequestDecodingError)?.description == "volume_definition.size_kib: expected an integer"
        }
        #expect { try self.decode(VolumeDefinitionCreateDTO.self, #"{"volume_definition":{}}"#) } throws: {
            ($0 as? RequestDecodingError)?.description.contains("size_kib: required field is missing") == true
        }
        #expect(throws: RequestDecodingError.self) { try self.decode(NodeDTO.self, "{not json") }
        #expect(throws: RequestDecodingError.self) { try self.decode([ResourceCreateDTO].self, "{}") }
    }

    @Test func omitsEmptyFieldsWhenEncoding() throws {
        var dto = ApiCallRcDTO(retCode: 1, message: "ok", cause: "", objRefs: [:])
        dto.createdAt = nil
        let text = String(decoding: try JSONEncoder().encode(dto), as: UTF8.self)
        #expect(!text.contains("cause"))
        #expect(!text.contains("obj_refs"))
        #expect(text.contains("\"ret_code\":1"))
    }
}
