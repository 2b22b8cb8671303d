/// Line settings of a serial port.
public struct SerialSettings: Sendable, Hashable {
    public enum Parity: String, Sendable, Hashable { case none, odd, even }
    public enum FlowControl: String, Sendable, Hashable { case none, rtsCts, xonXoff }

    public var baudRate: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int
    public var flowControl: FlowControl

    public init(baudRate: Int, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1, flowControl: FlowControl = .none) {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
    }

    /// 115200 8N1, no flow control.
    public static let baud115200 = SerialSettings(baudRate: 115_200)
    /// 9600 8N1, no flow control.
    public static let baud9600 = SerialSettings(baudRate: 9_600)
}
