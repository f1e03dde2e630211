using System.Collections.Immutable;
using System.Globalization;
using Cloud.Constructor.Api;
using Cloud.Shared.Coordination;

namespace Cloud.Constructor.Enrollment;

/// <summary>Field-level checks of enrollment bodies; every error at once.</summary>
public static class EnrollmentValidator
{
    public const long DefaultValiditySeconds = 3600;

    /// <summary>A year: a token is for installing hosts, not a standing credential.</summary>
    public const long MaxValiditySeconds = 365L * 24 * 3600;

    public static ImmutableArray<ApiError> Validate(EnrollmentTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = ImmutableArray.CreateBuilder<ApiError>();
        ValidateRoles(request.Roles, errors);
        if (request.ValiditySeconds is { } seconds && (seconds < 1 || seconds > MaxValiditySeconds))
        {
            errors.Add(new ApiError(
                "enrollment.validity_invalid",
                string.Create(CultureInfo.InvariantCulture, $"validity_seconds must be between 1 and {MaxValiditySeconds}."),
                "validity_seconds"));
        }

        return errors.ToImmutable();
    }

    public static ImmutableArray<ApiError> Validate(HostEnrollmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = ImmutableArray.CreateBuilder<ApiError>();
        if (string.IsNullOrEmpty(request.Token))
        {
            errors.Add(new ApiError("enrollment.token_missing", "token is required.", "token"));
        }

        if (request.HostId is null || !NodeNames.IsValid(request.HostId))
        {
            errors.Add(new ApiError("enrollment.host_id_invalid", "host_id: 1-128 characters of a-z, 0-9, '.', '-', '_'.", "host_id"));
        }

        ValidateRoles(request.Roles, errors);
        return errors.ToImmutable();
    }

    private static void ValidateRoles(ImmutableArray<string>? roles, ImmutableArray<ApiError>.Builder errors)
    {
        if (roles is not { IsDefaultOrEmpty: false } given)
        {
            errors.Add(new ApiError("enrollment.roles_missing", $"roles: at least one of {string.Join(", ", EnrollmentRoles.All)}.", "roles"));
            return;
        }

        for (var i = 0; i < given.Length; i++)
        {
            if (!EnrollmentRoles.All.Contains(given[i]))
            {
                errors.Add(new ApiError(
                    "enrollment.role_unknown",
                    $"'{given[i]}' is not a role; roles are {string.Join(", ", EnrollmentRoles.All)}.",
                    string.Create(CultureInfo.InvariantCulture, $"roles[{i}]")));
            }
        }
    }
}
