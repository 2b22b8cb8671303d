extension StringProtocol {
    /// Whether every character is printable ASCII (0x20…0x7E): a reply line with anything else is line noise.
    var isPrintableASCII: Bool { unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } }
}
