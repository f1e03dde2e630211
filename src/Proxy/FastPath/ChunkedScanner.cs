using System.Buffers;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Follows a chunked body (RFC 9112 §7.1) as its bytes go by, to find where it ends; the bytes themselves are
/// relayed untouched, chunk sizes, extensions and trailers included, so nothing is decoded or re-encoded.
/// </summary>
internal struct ChunkedScanner
{
    // 15 hex digits: chunk sizes up to 2^60, far beyond any body, and no overflow.
    private const int MaxSizeDigits = 15;

    private State _state;
    private long _remaining;
    private int _digits;

    private enum State
    {
        Size,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerStart,
        Trailer,
        TrailerLf,
        FinalLf,
        Done,
    }

    public readonly bool IsDone => _state == State.Done;

    /// <summary>
    /// How many bytes at the start of <paramref name="buffer"/> belong to the body (all of them until it ends);
    /// -1 when the framing is broken.
    /// </summary>
    public long Scan(ReadOnlySequence<byte> buffer)
    {
        long consumed = 0;
        foreach (var segment in buffer)
        {
            var span = segment.Span;
            var i = 0;
            while (i < span.Length)
            {
                if (_state == State.Done)
                {
                    return consumed + i;
                }

                if (_state == State.Data)
                {
                    var take = (int)Math.Min(_remaining, span.Length - i);
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.DataCr;
                    }

                    continue;
                }

                if (!Step(span[i++]))
                {
                    return -1;
                }
            }

            consumed += span.Length;
        }

        return consumed;
    }

    private bool Step(byte b)
    {
        switch (_state)
        {
            case State.Size:
                var digit = HexValue(b);
                if (digit >= 0)
                {
                    if (++_digits > MaxSizeDigits)
                    {
                        return false;
                    }

                    _remaining = (_remaining << 4) | (uint)digit;
                    return true;
                }

                if (_digits == 0)
                {
                    return false;
                }

                _state = b switch
                {
                    (byte)'\r' => State.SizeLf,
                    (byte)';' or (byte)' ' or (byte)'\t' => State.Extension,
                    _ => State.Done,
                };
                return _state != State.Done;
            case State.Extension:
                if (b == (byte)'\r')
                {
                    _state = State.SizeLf;
                }

                return b != (byte)'\n';
            case State.SizeLf:
                if (b != (byte)'\n')
                {
                    return false;
                }

                _digits = 0;
                _state = _remaining == 0 ? State.TrailerStart : State.Data;
                return true;
            case State.DataCr:
                _state = State.DataLf;
                return b == (byte)'\r';
            case State.DataLf:
                _state = State.Size;
                return b == (byte)'\n';
            case State.TrailerStart:
                _state = b == (byte)'\r' ? State.FinalLf : State.Trailer;
                return b != (byte)'\n';
            case State.Trailer:
                if (b == (byte)'\r')
                {
                    _state = State.TrailerLf;
                }

                return b != (byte)'\n';
            case State.TrailerLf:
                _state = State.TrailerStart;
                return b == (byte)'\n';
            case State.FinalLf:
                _state = State.Done;
                return b == (byte)'\n';
            default:
                return false;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
