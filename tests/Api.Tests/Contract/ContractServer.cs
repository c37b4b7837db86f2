using Steep.Api.Tests.Support;

namespace Steep.Api.Tests.Contract;

/// <summary>The API on Kestrel and a real local port: headers and websockets exactly as Steep's web UI meets them.</summary>
public sealed class ContractServer : ApiServer
{
    protected override bool RealSocket => true;
}
