using Microsoft.Extensions.Options;

namespace Cloud.Shared.Hosting;

/// <summary>
/// <see cref="ZooKeeperOptions"/>' data annotations, checked by code generated at compile time (no
/// reflection, so the natively compiled agents validate the same way).
/// </summary>
[OptionsValidator]
internal sealed partial class ZooKeeperOptionsValidator : IValidateOptions<ZooKeeperOptions>;
