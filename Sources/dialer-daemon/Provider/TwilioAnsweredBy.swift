/// Twilio's `AnsweredBy` (answering-machine detection, issue 14): `human`, `unknown`,
/// `machine_start`, `machine_end_beep`, `machine_end_silence`, `machine_end_other`, `fax`.
/// Machines and faxes end the call as `machine`; `human` and `unknown` (detection could not
/// tell) go to an operator, as a person would: hanging up on a person is worse than letting an
/// operator hear a machine.
enum TwilioAnsweredBy {
    static let machineValues: Set<String> = ["machine_start", "machine_end_beep", "machine_end_silence",
                                              "machine_end_other", "fax"]

    static func isMachine(_ answeredBy: String?) -> Bool {
        answeredBy.map { machineValues.contains($0) } ?? false
    }
}
