import Foundation

/// Optical power. SI unit: watt.
public struct Power: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "W"
    public static func watts(_ v: Double) -> Power { Power(si: v) }
    public static func milliwatts(_ v: Double) -> Power { Power(si: v * 1e-3) }
    public static func microwatts(_ v: Double) -> Power { Power(si: v * 1e-6) }
    public var watts: Double { si }
    public var milliwatts: Double { si * 1e3 }
    /// A level in dBm: 1 mW · 10^(dBm/10) (definition of the decibel-milliwatt).
    public static func dBm(_ level: Double) -> Power { Power(si: 1e-3 * Foundation.pow(10, level / 10)) }
    /// The level in dBm (−∞ for zero power).
    public var dBm: Double { 10 * Foundation.log10(si / 1e-3) }
}

/// Electric potential. SI unit: volt.
public struct Voltage: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "V"
    public static func volts(_ v: Double) -> Voltage { Voltage(si: v) }
    public static func millivolts(_ v: Double) -> Voltage { Voltage(si: v * 1e-3) }
    public var volts: Double { si }
}

/// Electric current. SI unit: ampere.
public struct Current: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "A"
    public static func amperes(_ v: Double) -> Current { Current(si: v) }
    public static func milliamperes(_ v: Double) -> Current { Current(si: v * 1e-3) }
    public static func microamperes(_ v: Double) -> Current { Current(si: v * 1e-6) }
    public var amperes: Double { si }
    public var microamperes: Double { si * 1e6 }
}

/// A frequency or an event rate. SI unit: hertz.
public struct Frequency: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "Hz"
    public static func hertz(_ v: Double) -> Frequency { Frequency(si: v) }
    public static func kilohertz(_ v: Double) -> Frequency { Frequency(si: v * 1e3) }
    public static func megahertz(_ v: Double) -> Frequency { Frequency(si: v * 1e6) }
    public var hertz: Double { si }
    public var megahertz: Double { si * 1e-6 }
}

/// A length. SI unit: metre.
public struct Length: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "m"
    public static func meters(_ v: Double) -> Length { Length(si: v) }
    public static func kilometers(_ v: Double) -> Length { Length(si: v * 1e3) }
    public var meters: Double { si }
    public var kilometers: Double { si * 1e-3 }
}

/// An optical wavelength in vacuum. SI unit: metre; constructed and shown in nanometres.
public struct Wavelength: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "m"
    public static func nanometers(_ v: Double) -> Wavelength { Wavelength(si: v * 1e-9) }
    public var nanometers: Double { si * 1e9 }
    public var description: String { "\(nanometers) nm" }
}

/// Fiber attenuation in decibels per kilometre.
public struct Attenuation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let decibelsPerKilometer: Double
    public init(decibelsPerKilometer: Double) { self.decibelsPerKilometer = decibelsPerKilometer }
    public static func dBPerKm(_ v: Double) -> Attenuation { Attenuation(decibelsPerKilometer: v) }
    public static func < (a: Attenuation, b: Attenuation) -> Bool { a.decibelsPerKilometer < b.decibelsPerKilometer }
    /// Power transmission through `length` of fiber: 10^(−α·L/10) (definition of the decibel).
    public func transmission(over length: Length) -> Double {
        Foundation.pow(10, -decibelsPerKilometer * length.kilometers / 10)
    }
    public var description: String { "\(decibelsPerKilometer) dB/km" }
}


/// A plane angle (an RF phase, a rotation axis). SI unit: radian; set and shown in degrees where
/// instruments use them.
public struct Angle: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "rad"
    public static func radians(_ v: Double) -> Angle { Angle(si: v) }
    public static func degrees(_ v: Double) -> Angle { Angle(si: v * Double.pi / 180) }
    public var radians: Double { si }
    public var degrees: Double { si * 180 / Double.pi }
    public var description: String { "\(degrees)°" }
}

/// Thermodynamic temperature. SI unit: kelvin; set and shown in degrees Celsius where instruments use them
/// (T/°C = T/K − 273.15, by the definition of the Celsius scale).
public struct Temperature: PhysicalQuantity {
    public let si: Double
    public init(si: Double) { self.si = si }
    public static let unitSymbol = "K"
    public static func kelvin(_ v: Double) -> Temperature { Temperature(si: v) }
    public static func celsius(_ v: Double) -> Temperature { Temperature(si: v + 273.15) }
    public var kelvin: Double { si }
    public var celsius: Double { si - 273.15 }
    public var description: String { String(format: "%.2f °C", celsius) }
}
