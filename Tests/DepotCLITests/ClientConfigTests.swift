import Testing

@testable import DepotCLI

@Suite struct ClientConfigTests {
    @Test func parsesIniLikeConfigParser() {
        let text = """
            # comment
            [global]
            controllers = alice,bob
            No-Color =
            ; another comment
            [node.list]
            show-props: ["Aux/site"]
            """
        var config = ClientConfig()
        for (name, entries) in ClientConfig.parse(text) { config.sections[name] = entries }
        #expect(config.globalWords == ["--controllers", "alice,bob", "--no-color"])
        #expect(config.sections["node.list"]?.first?.value == #"["Aux/site"]"#)
    }

    @Test func environmentVariablesBecomeOptions() {
        let words = ClientConfig.environmentWords([
            "LS_CLIENT_NO_COLOR": "", "LS_CLIENT_CONTROLLERS": "h:1", "HOME": "/x",
        ])
        #expect(words == ["--controllers", "h:1", "--no-color"])
    }

    @Test func controllerListPrecedence() {
        var globals = GlobalOptions(stdoutIsTerminal: false, environment: [:])
        #expect(globals.controllerList(environment: [:]) == "localhost:3370")
        #expect(globals.controllerList(environment: ["LS_CONTROLLERS": "a"]) == "a")
        globals.controllers = "b"
        #expect(globals.controllerList(environment: ["LS_CONTROLLERS": "a"]) == "b,a")
        #expect(GlobalOptions.split(["-m", "--controllers", "x", "n", "l", "-p"]).command == ["n", "l", "-p"])
        #expect(GlobalOptions.split(["--timeout=3", "-t", "5", "c", "v"]).global == ["--timeout=3", "-t", "5"])
    }
}
