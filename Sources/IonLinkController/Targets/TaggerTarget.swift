import IonLink

extension ControllerTarget {
    /// A time tagger's methods: its channels and counts over an exposure timed by `clock`.
    public static func tagger(_ tagger: any TimeTagger, role: String, clock: any Clock<Duration>) -> ControllerTarget {
        ControllerTarget(name: role, docstring: "IonLink time tagger \(role)", device: tagger, methods: [
            ControllerMethod("channels", doc: "The input channels.") { _ in .list(tagger.channels.map { .int(Int64($0)) }) },
            ControllerMethod("sync_channel", doc: "The channel taking the attempt sync (None if none).") { _ in
                tagger.syncChannel.map { .int(Int64($0)) } ?? .none
            },
            ControllerMethod("resolution_s", doc: "The tagger's bin width, in seconds.") { _ in .float(tagger.resolution.inSeconds) },
            ControllerMethod("count", [("exposure_s", "float")],
                             doc: "Streams tags for `exposure_s` seconds (at most 60): {'counts': {channel: tags}, 'overflow_lost': int}.") {
                a throws(ControllerFailure) in
                let exposure = try a.seconds("exposure_s", in: 0...60)
                let stream: AsyncStream<TagBatch>
                do throws(TimeTaggerError) { stream = try await tagger.startStreaming() } catch { throw ControllerFailure(error) }
                let collector = Task {
                    var counts: [Int32: Int64] = [:], lost = 0
                    for await batch in stream {
                        for tag in batch.tags { counts[tag.channel, default: 0] += 1 }
                        lost += batch.overflowLost
                    }
                    return (counts, lost)
                }
                try? await clock.sleep(for: exposure, tolerance: nil)
                await tagger.stopStreaming()
                let (counts, lost) = await collector.value
                let perChannel = tagger.channels.map { PyonValue.Entry(.int(Int64($0)), .int(counts[$0] ?? 0)) }
                return .object(["counts": .dict(perChannel), "overflow_lost": .int(Int64(lost))])
            },
        ])
    }
}
