// ionlink-bench: speed figures, each against a peer measured in the same run.
//   swift run -c release ionlink-bench simulation   event skipping vs the same simulation attempt by attempt
//   umockdev-wrapper swift run -c release ionlink-bench serial
//                                                    OBIS query round trip: IonLink vs pyserial, same emulator
//   umockdev-wrapper swift run -c release ionlink-bench usbtmc
//                                                    *IDN? over USBTMC: IonLink vs pyvisa-py, same emulator
//   swift run -c release ionlink-bench tags         herald engine vs numpy on 1e8 tags; decision latency
//   swift run -c release ionlink-bench replay      file → heralds on a 50 M-record PTU: IonLink (1 thread, all cores)
//                                                    vs tttrlib + numpy vs the `cat` ceiling
//   swift run -c release ionlink-bench records      the sequencer with and without the HDF5 run record
//   swift build -c release && umockdev-wrapper .build/release/ionlink-bench lab
//                                                    1000 heralds through the default lab's emulated
//                                                    instruments (instrument-lab-polarization.yaml), and
//                                                    the time-bin lab's (instrument-lab.yaml), each vs
//                                                    the pure simulation of the same lab;
//                                                    the TDC1 path's herald decision latency
//   swift run -c release ionlink-bench replay-file PATH RECORDS
//                                                    writes that stream (RECORDS records) to PATH, for
//                                                    /usr/bin/time -v ionlink replay PATH
// With no argument it runs all seven (the serial, USB and lab parts only under umockdev's preload).
import Foundation

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "replay-file" {
    guard arguments.count == 3, let records = Int(arguments.last!), (1...(1 << 40)).contains(records) else {
        FileHandle.standardError.write(Data("usage: ionlink-bench replay-file PATH RECORDS (1…2⁴⁰)\n".utf8))
        exit(2)
    }
    try writeReplayStream(to: URL(fileURLWithPath: arguments.dropFirst().first!), records: records)
    exit(0)
}
let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
    + String(format: "%.0f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
print("ionlink-bench on \(machine)")
if arguments.isEmpty || arguments.contains("simulation") { try await runSimulationBenchmark() }
if arguments.isEmpty || arguments.contains("serial") { try await runSerialBenchmark() }
if arguments.isEmpty || arguments.contains("usbtmc") { try await runUSBTMCBenchmark() }
if arguments.isEmpty || arguments.contains("tags") { try await runTagEngineBenchmark() }
if arguments.isEmpty || arguments.contains("replay") { try runReplayBenchmark() }
if arguments.isEmpty || arguments.contains("records") { try await runRecordBenchmark() }
if arguments.isEmpty || arguments.contains("lab") { try await runEmulatedLabBenchmark() }
