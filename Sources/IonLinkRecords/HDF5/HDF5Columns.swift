import CHDF5

/// Extendible one-dimensional datasets ("columns") and scalar string datasets.
extension HDF5File {
    /// Creates an empty column of `T`, chunked and unlimited, so that it can grow by appends.
    public func createColumn<T: HDF5Scalar>(_ name: String, of: T.Type, chunk: Int = 4096) throws(HDF5Error) {
        var dims: [hsize_t] = [0], maxDims: [hsize_t] = [ionlink_h5s_unlimited()], chunkDims: [hsize_t] = [hsize_t(chunk)]
        let space = H5Screate_simple(1, &dims, &maxDims)
        defer { H5Sclose(space) }
        let dcpl = H5Pcreate(ionlink_h5p_dataset_create())
        defer { H5Pclose(dcpl) }
        H5Pset_chunk(dcpl, 1, &chunkDims)
        let d = H5Dcreate2(handle, name, T.fileType, space, ionlink_h5p_default(), dcpl, ionlink_h5p_default())
        guard d >= 0 else { throw .writeFailed(path: path, object: name) }
        H5Dclose(d)
    }

    private func withDataset<R>(_ name: String, _ body: (hid_t) throws(HDF5Error) -> R) throws(HDF5Error) -> R {
        guard exists(name) else { throw .noSuchObject(path: path, object: name) }
        let d = H5Dopen2(handle, name, ionlink_h5p_default())
        guard d >= 0 else { throw .noSuchObject(path: path, object: name) }
        defer { H5Dclose(d) }
        return try body(d)
    }

    private func length(of d: hid_t, _ name: String) throws(HDF5Error) -> Int {
        let space = H5Dget_space(d)
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_ndims(space) == 1 else { throw .wrongType(path: path, object: name) }
        var dims: [hsize_t] = [0]
        H5Sget_simple_extent_dims(space, &dims, nil)
        return Int(dims[0])
    }

    /// Number of values in a column.
    public func count(of name: String) throws(HDF5Error) -> Int {
        try withDataset(name) { (d) throws(HDF5Error) in try length(of: d, name) }
    }

    /// Appends values at the end of a column.
    public func append<T: HDF5Scalar>(_ values: [T], to name: String) throws(HDF5Error) {
        guard !values.isEmpty else { return }
        try withDataset(name) { (d) throws(HDF5Error) in
            let n = try length(of: d, name)
            var newDims: [hsize_t] = [hsize_t(n + values.count)]
            guard H5Dset_extent(d, &newDims) >= 0 else { throw .writeFailed(path: path, object: name) }
            let fileSpace = H5Dget_space(d)
            defer { H5Sclose(fileSpace) }
            var start: [hsize_t] = [hsize_t(n)], count: [hsize_t] = [hsize_t(values.count)]
            H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil)
            let memSpace = H5Screate_simple(1, &count, nil)
            defer { H5Sclose(memSpace) }
            let status = values.withUnsafeBytes { H5Dwrite(d, T.nativeType, memSpace, fileSpace, ionlink_h5p_default(), $0.baseAddress) }
            guard status >= 0 else { throw .writeFailed(path: path, object: name) }
        }
    }

    /// Reads a whole column (converted to `T` by libhdf5 where the stored type differs).
    public func read<T: HDF5Scalar>(_ name: String, as: T.Type) throws(HDF5Error) -> [T] {
        try withDataset(name) { (d) throws(HDF5Error) -> [T] in
            let n = try length(of: d, name)
            var out = [T](repeating: T(), count: n)
            guard n > 0 else { return out }
            let status = out.withUnsafeMutableBytes {
                H5Dread(d, T.nativeType, ionlink_h5s_all(), ionlink_h5s_all(), ionlink_h5p_default(), $0.baseAddress)
            }
            guard status >= 0 else { throw .readFailed(path: path, object: name) }
            return out
        }
    }

    /// Shortens a column to its first `count` values.
    public func truncate(_ name: String, to count: Int) throws(HDF5Error) {
        try withDataset(name) { (d) throws(HDF5Error) in
            guard try length(of: d, name) > count else { return }
            var dims: [hsize_t] = [hsize_t(count)]
            guard H5Dset_extent(d, &dims) >= 0 else { throw .writeFailed(path: path, object: name) }
        }
    }

    /// Writes a scalar UTF-8 string dataset (for text too long for an attribute, such as a config file).
    public func writeString(_ value: String, dataset name: String) throws(HDF5Error) {
        let bytes = Array(value.utf8) + [0]
        let t = H5Tcopy(ionlink_h5t_c_s1())
        defer { H5Tclose(t) }
        H5Tset_size(t, bytes.count)
        H5Tset_cset(t, H5T_CSET_UTF8)
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let d = H5Dcreate2(handle, name, t, space, ionlink_h5p_default(), ionlink_h5p_default(), ionlink_h5p_default())
        guard d >= 0 else { throw .writeFailed(path: path, object: name) }
        defer { H5Dclose(d) }
        let status = bytes.withUnsafeBytes { H5Dwrite(d, t, ionlink_h5s_all(), ionlink_h5s_all(), ionlink_h5p_default(), $0.baseAddress) }
        guard status >= 0 else { throw .writeFailed(path: path, object: name) }
    }

    public func readString(dataset name: String) throws(HDF5Error) -> String {
        try withDataset(name) { (d) throws(HDF5Error) -> String in
            let t = H5Dget_type(d)
            defer { H5Tclose(t) }
            guard H5Tget_class(t) == H5T_STRING, H5Tis_variable_str(t) == 0 else { throw .wrongType(path: path, object: name) }
            var bytes = [UInt8](repeating: 0, count: H5Tget_size(t) + 1)
            guard H5Dread(d, t, ionlink_h5s_all(), ionlink_h5s_all(), ionlink_h5p_default(), &bytes) >= 0 else {
                throw .readFailed(path: path, object: name)
            }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
