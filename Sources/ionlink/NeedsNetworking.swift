#if !Networking
import ArgumentParser

/// A command of the networked build (`serve`, `controller`) in a build without the Networking trait: running it
/// says how to get that build.
protocol NeedsNetworking: ParsableCommand {}

extension NeedsNetworking {
    func run() throws {
        throw ValidationError("this build has no networking; build it with `swift build -c release --traits Networking` "
            + "and run .build/release/ionlink \(Self.configuration.commandName ?? "")")
    }
}
#endif
