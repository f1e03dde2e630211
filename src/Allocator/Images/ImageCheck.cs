using System.Collections.Immutable;
using Cloud.Allocator.Containers;
using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Images;

/// <summary>
/// Whether an assignment's image can ever run on this host (pure): its <c>version</c> must be a tag an image
/// exists for, or its <c>docker_image</c> a valid reference (present, when the host's images are known).
/// An assignment that fails is refused with the reason and charged nothing.
/// </summary>
internal static class ImageCheck
{
    /// <param name="hostImages">The host's images as its runner advertises them; null when unknown (then only the syntax is checked).</param>
    /// <returns>Why the assignment is refused, or null when its image is fine.</returns>
    public static string? Refusal(InstanceAssignment assignment, string imageTemplate, ImmutableHashSet<string>? hostImages, string hostId)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        string image;
        if (!string.IsNullOrWhiteSpace(assignment.DockerImage))
        {
            image = assignment.DockerImage;
            if (!ImageReference.IsValid(image))
            {
                return $"docker_image '{image}' is not a valid image reference";
            }
        }
        else
        {
            if (!ImageReference.IsValidTag(assignment.Version))
            {
                return $"version '{assignment.Version}' is not a valid image tag";
            }

            image = ElasticsearchContainerSpecBuilder.ImageFor(assignment, imageTemplate);
            if (!ImageReference.IsValid(image))
            {
                return $"version '{assignment.Version}' gives '{image}', which is not a valid image reference";
            }
        }

        if (hostImages is null || ImageReference.HasDigest(image) || hostImages.Contains(ImageReference.Normalize(image)))
        {
            return null;
        }

        return $"image {image} is not present on host {hostId}, so the instance could never start (the host has: {Summary(hostImages)})";
    }

    private static string Summary(ImmutableHashSet<string> images) =>
        images.IsEmpty ? "no images" : string.Join(", ", images.Order(StringComparer.Ordinal).Take(10)) + (images.Count > 10 ? ", ..." : string.Empty);
}
