#include <hdf5.h>

// HDF5's type, property-list and flag names are macros that expand to library globals behind a
// call to H5open(); Swift cannot import them, so these inline functions hand them over.
static inline hid_t ionlink_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t ionlink_h5s_all(void) { return H5S_ALL; }
static inline hid_t ionlink_h5e_default(void) { return H5E_DEFAULT; }
static inline hid_t ionlink_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t ionlink_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t ionlink_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline hsize_t ionlink_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline H5F_libver_t ionlink_h5f_libver_latest(void) { return H5F_LIBVER_LATEST; }
static inline unsigned ionlink_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned ionlink_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned ionlink_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned ionlink_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned ionlink_h5f_acc_swmr_read(void) { return H5F_ACC_SWMR_READ; }
static inline hid_t ionlink_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t ionlink_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t ionlink_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t ionlink_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t ionlink_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t ionlink_h5t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t ionlink_h5t_std_i8le(void) { return H5T_STD_I8LE; }
static inline hid_t ionlink_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t ionlink_h5t_c_s1(void) { return H5T_C_S1; }

/// Sets the (library-internal, but registered by name) file-access property that h5clear uses to
/// clear the superblock's "open for writing" flags of a file whose SWMR writer was killed.
static inline herr_t ionlink_set_clear_status_flags(hid_t fapl) {
    hbool_t clear = 1;
    return H5Pset(fapl, "clear_status_flags", &clear);
}
