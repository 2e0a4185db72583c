namespace Palisade.Commands;

/// <summary>The files of a <see cref="CertificateFolder"/> cannot be used as they are; the message says why and what to do.</summary>
internal sealed class CertificateFolderException : Exception
{
    public CertificateFolderException(string message)
        : base(message)
    {
    }

    public CertificateFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
