import CHDF5

/// A Swift number stored as an HDF5 scalar: its in-memory (native) type and its little-endian file type.
public protocol HDF5Scalar: Sendable {
    static var nativeType: hid_t { get }
    static var fileType: hid_t { get }
    init()
}

extension Int64: HDF5Scalar {
    public static var nativeType: hid_t { ionlink_h5t_native_int64() }
    public static var fileType: hid_t { ionlink_h5t_std_i64le() }
}
extension Int32: HDF5Scalar {
    public static var nativeType: hid_t { ionlink_h5t_native_int32() }
    public static var fileType: hid_t { ionlink_h5t_std_i32le() }
}
extension Int8: HDF5Scalar {
    public static var nativeType: hid_t { ionlink_h5t_native_int8() }
    public static var fileType: hid_t { ionlink_h5t_std_i8le() }
}
extension Double: HDF5Scalar {
    public static var nativeType: hid_t { ionlink_h5t_native_double() }
    public static var fileType: hid_t { ionlink_h5t_ieee_f64le() }
}
