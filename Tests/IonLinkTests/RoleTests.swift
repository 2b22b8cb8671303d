import Testing
import IonLink

@Suite struct RoleTests {
    let names = ["A", "B", "C"]

    @Test func rolesParseInOneSpellingAndPrintInIt() throws {
        let r = try #require(Role("B.trap_dc", nodeNames: names))
        #expect(r.place == .node(1) && r.part == .trapDC && r.description == "B.trap_dc" && r.deviceName == "nodeB.trap_dc")
        #expect(Role("nodeB.trap_dc", nodeNames: names) == r, "the device-name spelling names the same role")
        #expect(Role("C.cooling", nodeNames: names)?.nodeIndex == 2, "any number of nodes")
        let hub = try #require(Role("hub.detector_bias", nodeNames: names))
        #expect(hub.place == .hub && hub.nodeIndex == nil && hub.description == "hub.detector_bias")
        #expect(hub.part.kind == .detectorBias && r.part.kind == .electrodeSupply)
    }

    @Test func misplacedOrUnknownRolesAreRefused() {
        for text in ["D.cooling", "hub.cooling", "A.detector_bias", "A.laser", "A", "A.cooling.x", ".cooling", "hub."] {
            #expect(Role(text, nodeNames: names) == nil, "\(text)")
        }
    }
}
