import DepotClient
import Testing

@testable import DepotCLI

/// The expected tables were printed by linstor-client's `KeyValueStoreCommands.table_list` and
/// `table_show` from the same data.
@MainActor
@Suite struct KeyValueStoreTableTests {
    let ascii = TextTable(colors: false, utf8: false)

    @Test func listShowsOneNamePerInstance() throws {
        let stores = try JSONValue.parse(#"[{"name":"drv","props":{"a":"1"}},{"name":"other","props":{"b":"2"}}]"#)
        #expect(
            KeyValueStoreTables.list(stores, table: self.ascii) == """
                +-------+
                | Name  |
                |=======|
                | drv   |
                | other |
                +-------+

                """)
    }

    @Test func showListsKeysAndValuesInTheControllersOrder() throws {
        let props = try JSONValue.parse(#"{"vol/1/size":"1024","ratio":"1.50","":"root"}"#)
        #expect(
            KeyValueStoreTables.show(props, table: self.ascii) == """
                +--------------------+
                | Key        | Value |
                |====================|
                | vol/1/size | 1024  |
                | ratio      | 1.50  |
                |            | root  |
                +--------------------+

                """)
        #expect(
            KeyValueStoreTables.machineReadable(props) == """
                [
                  [
                    {
                      "key": "vol/1/size",
                      "value": "1024"
                    },
                    {
                      "key": "ratio",
                      "value": "1.50"
                    },
                    {
                      "key": "",
                      "value": "root"
                    }
                  ]
                ]

                """)
    }
}
