namespace BpfSharp.Btf;

/// <summary>Where the type and string sections of a raw BTF blob lie (byte offsets from the start of the blob).</summary>
readonly record struct BtfSections(int TypesStart, int TypesLength, int StringsStart, int StringsLength)
{
    /// <summary>Reads and checks the header: magic, version-independent lengths, sections inside the blob and apart.</summary>
    public static BtfSections Read(ReadOnlySpan<byte> blob, bool split)
    {
        if (blob.Length < BtfWire.HeaderSize)
            throw new BtfFormatException(
                $"BTF is {blob.Length} bytes, shorter than its {BtfWire.HeaderSize}-byte header. The data is truncated or not BTF.");
        ushort magic = (ushort)(blob[0] | blob[1] << 8);
        if (magic == 0x9FEB)
            throw new BtfFormatException("BTF is big-endian; only little-endian BTF is supported. Build the object for a little-endian target (bpfel).");
        if (magic != BtfWire.Magic)
            throw new BtfFormatException($"BTF magic at byte 0 is 0x{magic:x4}, expected 0x{BtfWire.Magic:x4}: this is not raw BTF.");
        uint hdrLen = BtfWire.ReadU32(blob, 4);
        uint typeOff = BtfWire.ReadU32(blob, 8), typeLen = BtfWire.ReadU32(blob, 12);
        uint strOff = BtfWire.ReadU32(blob, 16), strLen = BtfWire.ReadU32(blob, 20);
        if (hdrLen < BtfWire.HeaderSize || hdrLen > blob.Length)
            throw new BtfFormatException($"BTF header length {hdrLen} (byte 4) is outside [{BtfWire.HeaderSize}, {blob.Length}], the blob's size.");
        long body = blob.Length - hdrLen;
        if (typeOff + (long)typeLen > body)
            throw new BtfFormatException(
                $"BTF type section [{typeOff}, {typeOff + (long)typeLen}) (header bytes 8-15) lies outside the {body} bytes after the header: the BTF is truncated.");
        if (strOff + (long)strLen > body)
            throw new BtfFormatException(
                $"BTF string section [{strOff}, {strOff + (long)strLen}) (header bytes 16-23) lies outside the {body} bytes after the header: the BTF is truncated.");
        if (typeOff % 4 != 0)
            throw new BtfFormatException($"BTF type section offset {typeOff} (header byte 8) is not 4-byte aligned.");
        if (typeLen > 0 && strLen > 0 && typeOff < strOff + (long)strLen && strOff < typeOff + (long)typeLen)
            throw new BtfFormatException($"BTF type section [{typeOff}, {typeOff + (long)typeLen}) and string section [{strOff}, {strOff + (long)strLen}) overlap.");

        var sections = new BtfSections((int)(hdrLen + typeOff), (int)typeLen, (int)(hdrLen + strOff), (int)strLen);
        ReadOnlySpan<byte> strings = blob.Slice(sections.StringsStart, sections.StringsLength);
        if (strings.Length == 0)
        {
            if (!split)
                throw new BtfFormatException("BTF string section is empty; it must hold at least the empty name (one NUL byte).");
        }
        else
        {
            if (strings[^1] != 0)
                throw new BtfFormatException($"BTF string section does not end with a NUL byte (byte {sections.StringsStart + strings.Length - 1}): the BTF is truncated.");
            if (!split && strings[0] != 0)
                throw new BtfFormatException(
                    $"BTF string section starts with a name instead of the empty string (byte {sections.StringsStart}): this looks like split BTF; parse it with its base BTF.");
        }
        return sections;
    }
}
