import DepotClient

/// `node describe`: a node → storage pool → resource → volume tree, as LINSTOR's `TreeNode` prints it.
@MainActor
enum NodeDescription {
    final class TreeNode {
        let name: String
        var description: String
        let color: TerminalColor
        var children: [TreeNode] = []

        init(_ name: String, _ description: String, _ color: TerminalColor) {
            self.name = name
            self.description = description
            self.color = color
        }

        func child(_ name: String) -> TreeNode? { self.children.first { $0.name == name } }

        var data: JSONValue {
            .makeObject([
                ("name", .string(self.name)), ("description", .string(self.description)),
                ("children", .array(self.children.map(\.data))),
            ])
        }

        func render(utf8: Bool, colors: Bool) -> String {
            var output = ""
            self.render(connector: "", marker: "", prefix: "", utf8: utf8, colors: colors, into: &output)
            return output
        }

        private func render(
            connector: String,
            marker: String,
            prefix: String,
            utf8: Bool,
            colors: Bool,
            into output: inout String
        ) {
            if !connector.isEmpty { output += connector + "\n" }
            output += marker + self.color.wrap(self.name, enabled: colors) + " (" + self.description + ")\n"
            let (continueLine, endLine, continueMarker, endMarker) =
                utf8 ? ("   │", "    ", "   ├───", "   └───") : ("   |", "    ", "   |---", "   +---")
            for (index, child) in self.children.enumerated() {
                let isLast = index == self.children.count - 1
                child.render(
                    connector: prefix + continueLine,
                    marker: prefix + (isLast ? endMarker : continueMarker),
                    prefix: prefix + (isLast ? endLine : continueLine),
                    utf8: utf8,
                    colors: colors,
                    into: &output
                )
            }
        }
    }

    static func describe(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let nodes = try await invocation.fetch(.nodes())
        let pools = try await invocation.fetch(.storagePools())
        let resources = try await invocation.fetch(.resources())
        var tree: [String: TreeNode] = [:]
        for node in nodes.arrayValue {
            tree[node.text("name")] = TreeNode(node.text("name"), "node", .red)
        }
        for pool in pools.arrayValue {
            tree[pool.text("node_name")]?.children.append(
                TreeNode(pool.text("storage_pool_name"), "storage pool", .pink)
            )
        }
        for resource in resources.arrayValue {
            guard let node = tree[resource.text("node_name")] else { continue }
            var byPool: [(String, [JSONValue])] = []
            for volume in resource["volumes"]?.arrayValue ?? [] {
                let pool = volume.text("storage_pool_name")
                if let index = byPool.firstIndex(where: { $0.0 == pool }) {
                    byPool[index].1.append(volume)
                } else {
                    byPool.append((pool, [volume]))
                }
            }
            for (poolName, volumes) in byPool {
                let resourceNode = TreeNode(resource.text("name"), "resource", .blue)
                var poolNode = node.child(poolName)
                if poolName == "DfltDisklessStorPool" {
                    poolNode = node.child("diskless resource")
                    if poolNode == nil {
                        let diskless = TreeNode("diskless resource", "resources may reside on other nodes", .pink)
                        node.children.append(diskless)
                        poolNode = diskless
                    }
                }
                for volume in volumes {
                    let minor = VolumeView(volume).minor.map { "minor number: \($0)" } ?? ""
                    let size = SizeSyntax.approximate(kib: volume["allocated_size_kib"]?.int64Value ?? 0)
                    resourceNode.children.append(
                        TreeNode(
                            "volume\(volume["volume_number"]?.int64Value ?? 0)",
                            minor + ", size: " + size,
                            .darkGreen
                        )
                    )
                }
                poolNode?.children.append(resourceNode)
            }
        }
        let name = invocation.arguments.string("name")
        var output = ""
        var machine: [JSONValue] = []
        var printed = false
        for key in tree.keys.sorted() {
            if printed { output += "\n" }
            guard name == nil || name == key, let node = tree[key] else { continue }
            machine.append(node.data)
            if !invocation.globals.machineReadable {
                output += node.render(utf8: invocation.session.utf8, colors: invocation.session.colors)
                printed = true
            }
        }
        if invocation.globals.machineReadable {
            invocation.console.out(JSONValue.array(machine).pythonIndentedText() + "\n")
        } else if !printed, let name {
            invocation.console.err("\(name): no such node\n")
            return ExitCode.objectNotFound
        }
        invocation.console.out(output)
        return ExitCode.ok
    }
}
