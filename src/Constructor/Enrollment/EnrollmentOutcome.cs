namespace Cloud.Constructor.Enrollment;

/// <summary>Either the value or why it was refused.</summary>
public sealed record EnrollmentOutcome<T>(T? Value, EnrollmentRefusal? Refusal)
    where T : class
{
    public static implicit operator EnrollmentOutcome<T>(T value) => new(value, null);

    public static implicit operator EnrollmentOutcome<T>(EnrollmentRefusal refusal) => new(null, refusal);
}
