/// Direct JSON output for the objects that make up large lists; field names as in `CodingKeys`.
extension ResourceDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", self.name)
        writer.field("node_name", self.nodeName)
        writer.field("props", self.props)
        writer.field("flags", self.flags)
        if let layer = self.layerObject {
            writer.key("layer_object")
            layer.writeJSON(to: &writer)
        }
        if let state = self.state {
            writer.key("state")
            writer.beginObject()
            writer.field("in_use", state.inUse)
            writer.endObject()
        }
        writer.field("uuid", self.uuid)
        writer.field("create_timestamp", self.createTimestamp)
        if let volumes = self.volumes {
            writer.key("volumes")
            writer.beginArray()
            for volume in volumes { volume.writeJSON(to: &writer) }
            writer.endArray()
        }
        writer.field("shared_name", self.sharedName)
        writer.endObject()
    }
}

extension ResourceLayerDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        if let children = self.children {
            writer.key("children")
            writer.beginArray()
            for child in children { child.writeJSON(to: &writer) }
            writer.endArray()
        }
        writer.field("resource_name_suffix", self.resourceNameSuffix)
        writer.field("type", self.type)
        if let drbd = self.drbd {
            writer.key("drbd")
            drbd.writeJSON(to: &writer)
        }
        if let luks = self.luks {
            writer.key("luks")
            writer.beginObject()
            if let volumes = luks.luksVolumes {
                writer.key("luks_volumes")
                writer.beginArray()
                for volume in volumes { volume.writeJSON(to: &writer) }
                writer.endArray()
            }
            writer.endObject()
        }
        if let storage = self.storage {
            writer.key("storage")
            writer.beginObject()
            if let volumes = storage.storageVolumes {
                writer.key("storage_volumes")
                writer.beginArray()
                for volume in volumes { volume.writeJSON(to: &writer) }
                writer.endArray()
            }
            writer.endObject()
        }
        writer.endObject()
    }
}

extension DRBDResourceDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        if let definition = self.drbdResourceDefinition {
            writer.key("drbd_resource_definition")
            definition.writeJSON(to: &writer)
        }
        writer.field("node_id", self.nodeID)
        writer.field("tcp_ports", self.tcpPorts)
        writer.field("peer_slots", self.peerSlots)
        writer.field("al_stripes", self.alStripes)
        writer.field("al_size", self.alSize)
        writer.field("flags", self.flags)
        if let volumes = self.drbdVolumes {
            writer.key("drbd_volumes")
            writer.beginArray()
            for volume in volumes { volume.writeJSON(to: &writer) }
            writer.endArray()
        }
        if let connections = self.connections {
            writer.key("connections")
            writer.beginObject()
            for (peer, connection) in connections.sorted(by: { $0.key < $1.key }) {
                writer.key(peer)
                writer.beginObject()
                writer.field("connected", connection.connected)
                writer.field("message", connection.message)
                writer.endObject()
            }
            writer.endObject()
        }
        writer.field("promotion_score", self.promotionScore)
        writer.field("may_promote", self.mayPromote)
        writer.endObject()
    }
}

extension DRBDResourceDefinitionLayerDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("resource_name_suffix", self.resourceNameSuffix)
        writer.field("peer_slots", self.peerSlots)
        writer.field("al_stripes", self.alStripes)
        writer.field("al_stripe_size_kib", self.alStripeSizeKiB)
        writer.field("port", self.port)
        writer.field("transport_type", self.transportType)
        writer.field("secret", self.secret)
        writer.field("down", self.down)
        writer.endObject()
    }
}

extension DRBDVolumeDefinitionDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("resource_name_suffix", self.resourceNameSuffix)
        writer.field("volume_number", self.volumeNumber)
        writer.field("minor_number", self.minorNumber)
        writer.endObject()
    }
}

extension DRBDVolumeDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        if let definition = self.drbdVolumeDefinition {
            writer.key("drbd_volume_definition")
            definition.writeJSON(to: &writer)
        }
        writer.field("device_path", self.devicePath)
        writer.field("backing_device", self.backingDevice)
        writer.field("meta_disk", self.metaDisk)
        writer.field("allocated_size_kib", self.allocatedSizeKiB)
        writer.field("usable_size_kib", self.usableSizeKiB)
        writer.field("disk_state", self.diskState)
        writer.field("ext_meta_stor_pool", self.extMetaStorPool)
        writer.endObject()
    }
}

extension LUKSVolumeDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("volume_number", self.volumeNumber)
        writer.field("device_path", self.devicePath)
        writer.field("backing_device", self.backingDevice)
        writer.field("allocated_size_kib", self.allocatedSizeKiB)
        writer.field("usable_size_kib", self.usableSizeKiB)
        writer.field("disk_state", self.diskState)
        writer.field("opened", self.opened)
        writer.endObject()
    }
}

extension StorageVolumeDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("volume_number", self.volumeNumber)
        writer.field("device_path", self.devicePath)
        writer.field("allocated_size_kib", self.allocatedSizeKiB)
        writer.field("usable_size_kib", self.usableSizeKiB)
        writer.field("disk_state", self.diskState)
        writer.endObject()
    }
}

extension VolumeDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("volume_number", self.volumeNumber)
        writer.field("storage_pool_name", self.storagePoolName)
        writer.field("provider_kind", self.providerKind)
        writer.field("device_path", self.devicePath)
        writer.field("allocated_size_kib", self.allocatedSizeKiB)
        writer.field("usable_size_kib", self.usableSizeKiB)
        writer.field("props", self.props)
        writer.field("flags", self.flags)
        if let state = self.state {
            writer.key("state")
            writer.beginObject()
            writer.field("disk_state", state.diskState)
            if let replication = state.replicationStates {
                writer.key("replication_states")
                writer.beginObject()
                for (peer, peerState) in replication.sorted(by: { $0.key < $1.key }) {
                    writer.key(peer)
                    writer.beginObject()
                    writer.field("replication_state", peerState.replicationState)
                    writer.field("done_percentage", peerState.donePercentage)
                    writer.endObject()
                }
                writer.endObject()
            }
            writer.endObject()
        }
        if let layers = self.layerDataList {
            writer.key("layer_data_list")
            writer.beginArray()
            for layer in layers {
                writer.beginObject()
                writer.field("type", layer.type)
                if let data = layer.data {
                    writer.key("data")
                    switch data {
                    case .drbd(let volume): volume.writeJSON(to: &writer)
                    case .luks(let volume): volume.writeJSON(to: &writer)
                    case .storage(let volume): volume.writeJSON(to: &writer)
                    }
                }
                writer.endObject()
            }
            writer.endArray()
        }
        writer.field("uuid", self.uuid)
        if let reports = self.reports {
            writer.key("reports")
            writer.beginArray()
            for report in reports { report.writeJSON(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }
}

extension ApiCallRcDTO {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("ret_code", self.retCode)
        writer.field("message", self.message)
        writer.field("cause", self.cause)
        writer.field("details", self.details)
        writer.field("correction", self.correction)
        writer.field("error_report_ids", self.errorReportIDs)
        writer.field("obj_refs", self.objRefs)
        writer.field("created_at", self.createdAt)
        writer.endObject()
    }
}

extension ResourceDefinitionDTO {
    /// Without `volume_definitions`: the cached list fragment never carries them.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", self.name)
        writer.field("external_name", self.externalName)
        writer.field("props", self.props)
        writer.field("flags", self.flags)
        if let layers = self.layerData {
            writer.key("layer_data")
            writer.beginArray()
            for layer in layers {
                writer.beginObject()
                writer.field("type", layer.type)
                if let data = layer.data {
                    writer.key("data")
                    data.writeJSON(to: &writer)
                }
                writer.endObject()
            }
            writer.endArray()
        }
        writer.field("uuid", self.uuid)
        writer.field("resource_group_name", self.resourceGroupName)
        writer.endObject()
    }
}
