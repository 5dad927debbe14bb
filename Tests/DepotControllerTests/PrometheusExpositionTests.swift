import Testing

@testable import DepotController

/// The text format Prometheus and prometheus-client parse: a family's samples together after
/// its HELP and TYPE lines, label values escaped.
@Suite struct PrometheusExpositionTests {
    @Test func samplesOfAFamilyStayTogetherInFirstSeenOrder() {
        var exposition = PrometheusExposition(help: ["a": "first \\ family", "b": "second"])
        exposition.gauge("a", labels: [("name", "x")], 1)
        exposition.gauge("b", 2.5)
        exposition.gauge("a", labels: [("name", "y")], .nan)
        #expect(
            String(decoding: exposition.bytes, as: UTF8.self) == """
                # HELP a first \\\\ family
                # TYPE a gauge
                a{name="x"} 1.0
                a{name="y"} nan
                # HELP b second
                # TYPE b gauge
                b 2.5

                """)
    }

    @Test func labelValuesAreEscaped() {
        var exposition = PrometheusExposition(help: [:])
        exposition.gauge("c", labels: [("path", "a\"b\\c\nd"), ("node", "n")], 0)
        #expect(String(decoding: exposition.bytes, as: UTF8.self) == "# TYPE c gauge\nc{path=\"a\\\"b\\\\c\\nd\",node=\"n\"} 0.0\n")
    }
}
