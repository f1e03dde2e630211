using Cloud.Constructor.Api;

namespace Cloud.Constructor.Enrollment;

/// <summary>Why a request was refused, with the HTTP status it answers.</summary>
public sealed record EnrollmentRefusal(int Status, ApiError Error);
