import Testing

@testable import DepotCLI

@MainActor
@Suite struct InteractiveTests {
    let root = CommandTree.make()

    @Test func completesCommandWords() {
        #expect(Completion.candidates(for: "no", root: self.root).words == ["node", "node-connection"])
        #expect(Completion.candidates(for: "sto", root: self.root).words == ["storage-pool"])
        #expect(Completion.candidates(for: "node cr", root: self.root).words == ["create"])
        #expect(Completion.candidates(for: "resource-d", root: self.root).words == ["resource-definition"])
        #expect(Completion.candidates(for: "volume definition c", root: self.root).words == ["c", "create"])
        #expect(Completion.candidates(for: "n l --no", root: self.root).words == ["--nodes"])
        #expect(Completion.candidates(for: "n l x", root: self.root).words == [])
        #expect(Completion.commonPrefix(["resource", "resource-definition", "resource-group"]) == "resource")
    }

    @Test func editsHistoryAndCompletes() {
        var state = LineEditorState(history: ["node list", "rd l"])
        #expect(state.handle(.text("st"), root: self.root) == .redraw)
        #expect(state.handle(.text("o"), root: self.root) == .redraw)
        #expect(state.handle(.control(0x09), root: self.root) == .redraw)
        #expect(state.text == "storage-pool ")
        #expect(state.handle(.escape(Array("[A".utf8)), root: self.root) == .redraw)
        #expect(state.text == "rd l")
        #expect(state.handle(.escape(Array("[A".utf8)), root: self.root) == .redraw)
        #expect(state.text == "node list")
        #expect(state.handle(.escape(Array("[A".utf8)), root: self.root) == .bell)
        #expect(state.handle(.escape(Array("[B".utf8)), root: self.root) == .redraw)
        #expect(state.handle(.escape(Array("[B".utf8)), root: self.root) == .redraw)
        #expect(state.text == "storage-pool ")
        _ = state.handle(.escape(Array("[D".utf8)), root: self.root)
        _ = state.handle(.control(0x7F), root: self.root)
        #expect(state.text == "storage-poo ")
        _ = state.handle(.control(0x01), root: self.root)
        _ = state.handle(.text("x"), root: self.root)
        #expect(state.text == "xstorage-poo ")
        _ = state.handle(.control(0x05), root: self.root)
        _ = state.handle(.control(0x17), root: self.root)
        #expect(state.text == "")
        #expect(state.handle(.control(0x04), root: self.root) == .endOfInput)
        #expect(state.handle(.control(0x0D), root: self.root) == .accept)
    }

    @Test func ambiguousCompletionListsCandidates() {
        var state = LineEditorState(history: [])
        _ = state.handle(.text("node l"), root: self.root)
        let action = state.handle(.control(0x09), root: self.root)
        #expect(action == .list(["l", "list", "list-properties", "lo", "lost", "lp"]))
    }
}
