/// What a backend read of one kind: the objects that decoded and the rows that did not.
public struct LoadedRows: Sendable {
    public var objects: [any StoredObject] = []
    public var damaged: [DamagedRow] = []

    public init(objects: [any StoredObject] = [], damaged: [DamagedRow] = []) {
        self.objects = objects
        self.damaged = damaged
    }
}
