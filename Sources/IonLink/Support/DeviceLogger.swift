import Logging

extension Logger {
    /// This logger with the device's name in its metadata (`device`), so that every line a device
    /// logs says which instrument it is about.
    public func forDevice(_ name: String) -> Logger {
        var l = self
        l[metadataKey: "device"] = "\(name)"
        return l
    }
}
