import DepotModel
import HashTreeCollections

/// One entry of an operation's answer, before it becomes an ApiCallRc on the wire.
struct Reply: Sendable {
    var code: ReturnCode
    var message: String
    var cause: String?
    var correction: String?
    var details: String?
    var objectReferences: [String: String]
    /// The error reports that tell more, on the controller or a satellite.
    var errorReportIDs: [String]

    init(
        _ code: ReturnCode,
        _ message: String,
        cause: String? = nil,
        correction: String? = nil,
        details: String? = nil,
        objectReferences: [String: String] = [:],
        errorReportIDs: [String] = []
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.correction = correction
        self.details = details
        self.objectReferences = objectReferences
        self.errorReportIDs = errorReportIDs
    }

    /// Deleting what does not exist is not an error in LINSTOR: it answers `WARN_NOT_FOUND`.
    static func alreadyGone(_ what: String, _ objectReferences: [String: String]) -> Reply {
        Reply(.warnNotFound, "\(what) not found.", cause: "It does not exist (any more); nothing was deleted.", objectReferences: objectReferences)
    }

    init(_ error: DepotError) {
        self.init(
            error.code, error.message, cause: error.cause, correction: error.correction, details: error.details,
            objectReferences: error.objectReferences)
    }
}

/// The operation and object an API call acts on; fills the ret_code masks of its replies.
struct CallContext: Sendable {
    let operation: ReturnCode.Operation
    let object: ReturnCode.ObjectType

    init(_ operation: ReturnCode.Operation, _ object: ReturnCode.ObjectType) {
        self.operation = operation
        self.object = object
    }

    func apply(_ replies: [Reply]) -> [Reply] {
        replies.map { reply in
            var reply = reply
            reply.code = reply.code.inContext(self.operation, self.object)
            return reply
        }
    }
}

/// Helpers shared by operations for validating names and finding objects.
enum Lookup {
    static func validName(_ name: String?, _ kind: NameKind) throws(DepotError) -> String {
        guard let name, !name.isEmpty else {
            var error = DepotError(invalidName: InvalidNameError(kind: kind, name: "", reason: "no name was given"))
            error.message = "The \(kind.objectDescription) name is missing."
            throw error
        }
        do {
            try kind.validate(name)
        } catch {
            throw DepotError(invalidName: error)
        }
        return name
    }
}

extension ClusterModel {
    func node(_ name: String) throws(DepotError) -> Node {
        guard let node = self.nodes[ObjectKey(name)] else {
            throw DepotError(
                .failNotFoundNode, "Node '\(name)' not found.",
                cause: "The specified node '\(name)' could not be found in the database.",
                correction: "Create a node with the name '\(name)' first.",
                objectReferences: ["Node": name])
        }
        return node
    }

    func resourceDefinition(_ name: String) throws(DepotError) -> ResourceDefinition {
        guard let definition = self.resourceDefinitions[ObjectKey(name)] else {
            throw DepotError(
                .failNotFoundResourceDefinition, "Resource definition '\(name)' not found.",
                cause: "The specified resource definition '\(name)' could not be found in the database.",
                correction: "Create a resource definition with the name '\(name)' first.",
                objectReferences: ["RscDfn": name])
        }
        return definition
    }

    func resourceGroup(_ name: String) throws(DepotError) -> ResourceGroup {
        guard let group = self.resourceGroups[ObjectKey(name)] else {
            throw DepotError(
                .failNotFoundResourceGroup, "Resource group '\(name)' not found.",
                cause: "The specified resource group '\(name)' could not be found in the database.",
                correction: "Create a resource group with the name '\(name)' first.",
                objectReferences: ["RscGrp": name])
        }
        return group
    }

    func resource(_ name: String, on nodeName: String) throws(DepotError) -> Resource {
        guard let resource = self.resources[ResourceKey(resource: ObjectKey(name), node: ObjectKey(nodeName))] else {
            throw DepotError(
                .failNotFoundResource, "Resource '\(name)' on node '\(nodeName)' not found.",
                cause: "The node '\(nodeName)' does not have a resource '\(name)'.",
                objectReferences: ["RscDfn": name, "Node": nodeName])
        }
        return resource
    }

    func storagePool(_ name: String, on nodeName: String) throws(DepotError) -> StoragePool {
        guard let pool = self.storagePools[StoragePoolKey(node: ObjectKey(nodeName), pool: ObjectKey(name))] else {
            throw DepotError(
                .failNotFoundStoragePool, "Storage pool '\(name)' on node '\(nodeName)' not found.",
                cause: "The node '\(nodeName)' has no storage pool '\(name)'.",
                correction: "Create the storage pool on the node first, or choose another pool.",
                objectReferences: ["StorPool": name, "Node": nodeName])
        }
        return pool
    }
}
