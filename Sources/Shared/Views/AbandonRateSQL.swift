/// The one definition of the abandon rate's calls (issue 14), shared by the queue-daemon (which
/// paces on it) and the gateway's dashboard (which shows it): automatic calls a person answered
/// (`answer_time` set, machines excluded), and among them those that ended `abandoned`.
public enum AbandonRateSQL {
    /// `COUNT(*)` is the live answers, the second column the abandoned ones; bind the window's start (ms).
    public static let countsSince = """
        SELECT COUNT(*), COALESCE(SUM(status = 'abandoned'), 0) FROM calls
         WHERE answer_time >= ? AND mode = 'automatic' AND status <> 'machine'
        """
    /// The same per UTC day of the answer: `day, answered, abandoned`.
    public static let countsPerDaySince = """
        SELECT answer_time / 86400000, COUNT(*), COALESCE(SUM(status = 'abandoned'), 0) FROM calls
         WHERE answer_time >= ? AND mode = 'automatic' AND status <> 'machine'
         GROUP BY answer_time / 86400000
        """
}
