import DepotClient
import Testing

@Suite struct ControllerEndpointTests {
    @Test func parsesHostsPortsAndSchemes() throws {
        let endpoints = try ControllerEndpoint.parseList(
            "alice,bob:4000,https://carol,linstor+ssl://dave:5,http://[::1]:3370, ,linstor://erin"
        )
        #expect(
            endpoints.map(\.description) == [
                "linstor://alice:3370", "linstor://bob:4000", "linstor+ssl://carol:3371", "linstor+ssl://dave:5",
                "linstor://[::1]:3370", "linstor://erin:3370",
            ]
        )
        #expect(endpoints[2].baseURL == "https://carol:3371")
        #expect(endpoints[4].baseURL == "http://[::1]:3370")
    }

    @Test(arguments: ["ftp://x", "host:0", "host:99999", "host:abc", ":3370"])
    func refusesBadEntries(_ entry: String) {
        #expect(throws: DepotClientError.self) { try ControllerEndpoint.parse(entry) }
    }
}
