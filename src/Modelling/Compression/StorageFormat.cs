namespace Pipeline.Modelling.Compression;

/// <summary>
/// How a checkpoint's weights are stored on disk. Float16/BFloat16: every tensor in that type. Int8: every weight
/// matrix as int8 with one float32 scale per output channel (row), symmetric; vectors stay float32. Sparse: every weight
/// matrix with zeros as a bitmap of its non-zero positions plus the non-zero values (float32), when that is smaller
/// than dense. All load back into float32 parameters.
/// </summary>
public enum StorageFormat
{
    Float32,
    Float16,
    BFloat16,
    Int8,
    Sparse,
}
