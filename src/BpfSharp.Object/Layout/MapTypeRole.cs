namespace BpfSharp.Layout;

/// <summary>Whether a type is used as a map's key or as its value; only changes the wording of errors.</summary>
public enum MapTypeRole
{
    Key,
    Value,
}
