import DepotClient

/// `key-value-store list` and `key-value-store show` (linstor-client `key_value_store.py`).
enum KeyValueStoreTables {
    /// One `Name` row per instance, in the controller's order.
    static func list(_ stores: JSONValue, table: TextTable) -> String {
        var table = table
        table.addColumn("Name")
        for store in stores.arrayValue { table.addRow([TextTable.Cell(store.text("name"))]) }
        return table.render()
    }

    /// `Key | Value` rows of one instance's properties, in the controller's order.
    static func show(_ props: JSONValue, table: TextTable) -> String {
        var table = table
        table.addColumn("Key")
        table.addColumn("Value")
        for member in props.objectMembers { table.addRow([TextTable.Cell(member.key), TextTable.Cell(member.value.displayText)]) }
        return table.render()
    }

    /// `show -m`: the properties as `[[{"key": …, "value": …}, …]]`, the shape of every `list-properties -m`.
    static func machineReadable(_ props: JSONValue) -> String {
        let pairs = props.objectMembers.map { JSONValue.makeObject([("key", .string($0.key)), ("value", $0.value)]) }
        return JSONValue.array([.array(pairs)]).pythonIndentedText() + "\n"
    }
}
