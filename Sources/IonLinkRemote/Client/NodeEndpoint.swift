import GRPCNIOTransportHTTP2

/// Certificates for TLS, as PEM files.
public struct TLSFiles: Sendable, Hashable {
    /// This side's certificate chain and key (a node's server certificate, or a client's certificate for mTLS).
    public var certificate: String?
    public var key: String?
    /// The certificate authority that signed the other side: a node checks client certificates against
    /// it (mTLS: a client without one signed by it is refused at the handshake); a client checks the node's.
    public var authority: String?

    public init(certificate: String? = nil, key: String? = nil, authority: String? = nil) {
        self.certificate = certificate
        self.key = key
        self.authority = authority
    }
}

/// Where a node listens and how to reach it.
public struct NodeEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The bearer token to present.
    public var token: String
    /// TLS towards the node (nil: plaintext, loopback and test networks only).
    public var tls: TLSFiles?

    public init(host: String, port: Int, token: String, tls: TLSFiles? = nil) {
        self.host = host
        self.port = port
        self.token = token
        self.tls = tls
    }

    public var description: String { "\(tls == nil ? "grpc" : "grpcs")://\(host):\(port)" }

    var transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
        guard let tls else { return .plaintext }
        return .tls { config in
            if let cert = tls.certificate, let key = tls.key {
                config.certificateChain = [.file(path: cert, format: .pem)]
                config.privateKey = .file(path: key, format: .pem)
            }
            if let ca = tls.authority {
                config.trustRoots = .certificates([.file(path: ca, format: .pem)])
                // Lab certificates name the node by its role, not by DNS: the chain is checked, the host name is not.
                config.serverCertificateVerification = .noHostnameVerification
            }
        }
    }
}
