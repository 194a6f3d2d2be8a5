namespace Pipeline.Modelling.Storage;

/// <summary>Tells a full file system (or an exhausted quota) from other I/O failures: a run can resume once room is made.</summary>
public static class StorageFull
{
    private const int NoSpaceLeftOnDevice = 28; // ENOSPC: .NET gives the errno as the HResult of IOExceptions on Unix
    private const int DiskQuotaExceeded = 122;  // EDQUOT
    private const int WindowsDiskFull = unchecked((int)0x80070070);       // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL

    public static bool Caused(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
            if (e is IOException { HResult: NoSpaceLeftOnDevice or DiskQuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull })
                return true;
        return false;
    }

    /// <summary>Bytes free to this process on the file system holding <paramref name="path"/> (or its nearest existing parent).</summary>
    public static long FreeBytes(string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            existing = parent;
        return new DriveInfo(existing).AvailableFreeSpace;
    }
}
