using System.Buffers;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>
/// One pass of a BPF iterator (the fd from BPF_ITER_CREATE): a forward-only, read-only stream of what the program
/// wrote. Reading to the end runs the program over every object; each pass is a fresh <see cref="BpfLink.OpenIterator"/>.
/// </summary>
public sealed unsafe class IteratorStream : Stream
{
    const int EINTR = 4;
    readonly BpfFileDescriptor fd;
    readonly string description;

    internal IteratorStream(BpfFileDescriptor fd, string description)
    {
        this.fd = fd;
        this.description = description;
    }

    /// <summary>The iterator's fd (one pass).</summary>
    public BpfFileDescriptor Fd => fd;

    public override bool CanRead => !fd.IsClosed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <summary>Reads what the program wrote next (read(2) on the iterator fd); 0 at the end of the pass.</summary>
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(fd.IsClosed, this);
        if (buffer.IsEmpty) return 0;
        using FdLease lease = fd.Lease();
        fixed (byte* b = buffer)
        {
            while (true)
            {
                long r = fd.Syscalls.Read(lease.Fd, b, (nuint)buffer.Length);
                if (r >= 0) return (int)r;
                if (r == -EINTR) continue;
                throw new BpfSyscallException("read", (int)-r, Hint((int)-r), $"reading iterator {description}");
            }
        }
    }

    static string Hint(int errno) => (Errno)errno switch
    {
        Errno.E2BIG => "the program wrote more for one object than the iterator's buffer holds (8 pages): write less per object.",
        Errno.EAGAIN => "the iteration made no progress for too many objects at once; read again to continue.",
        Errno.EFAULT => "the read buffer is not writable memory.",
        _ => "the iterator program failed, or the object it walks went away.",
    };

    /// <summary>Reads the rest of the pass and decodes it as UTF-8.</summary>
    public string ReadAllText()
    {
        using var text = new MemoryStream();
        CopyTo(text);
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    /// <summary>
    /// Reads whole records of <typeparamref name="T"/> into <paramref name="destination"/> (a record the kernel hands over
    /// in pieces is completed first); returns how many, 0 at the end of the pass.
    /// </summary>
    /// <exception cref="InvalidDataException">The pass ended inside a record: the program does not write <typeparamref name="T"/>-sized records.</exception>
    public int ReadRecords<T>(Span<T> destination) where T : unmanaged
    {
        if (destination.IsEmpty) return 0;
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        int filled = 0;
        while (filled == 0 || filled % sizeof(T) != 0)
        {
            int n = Read(bytes[filled..]);
            if (n == 0)
            {
                if (filled == 0) return 0;
                throw PartialRecord<T>(filled % sizeof(T));
            }
            filled += n;
        }
        return filled / sizeof(T);
    }

    /// <summary>The rest of the pass as records of <typeparamref name="T"/>, read in batches into one pooled buffer.</summary>
    public IEnumerable<T> Records<T>() where T : unmanaged
    {
        T[] batch = ArrayPool<T>.Shared.Rent(Math.Max(1, 64 * 1024 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
        try
        {
            while (true)
            {
                int count = ReadRecords(batch.AsSpan());
                if (count == 0) yield break;
                for (int i = 0; i < count; i++) yield return batch[i];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(batch);
        }
    }

    InvalidDataException PartialRecord<T>(int leftover) where T : unmanaged => new(
        $"iterator {description} ended {leftover} bytes into a {sizeof(T)}-byte {typeof(T).Name} record: the program writes records of another size (or text).");

    public override void Flush() { }
    public override long Length => throw new NotSupportedException("an iterator's length is known only once it has been read to the end.");
    public override long Position
    {
        get => throw new NotSupportedException("an iterator stream cannot seek.");
        set => throw new NotSupportedException("an iterator stream cannot seek.");
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("an iterator stream cannot seek.");
    public override void SetLength(long value) => throw new NotSupportedException("an iterator stream is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("an iterator stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) fd.Dispose();
        base.Dispose(disposing);
    }
}
