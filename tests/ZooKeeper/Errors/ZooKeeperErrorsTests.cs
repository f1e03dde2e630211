using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Errors;

public sealed class ZooKeeperErrorsTests
{
    public static TheoryData<ErrorCode> EveryErrorCode => [.. Enum.GetValues<ErrorCode>().Where(c => c != ErrorCode.Ok)];

    [Theory]
    [MemberData(nameof(EveryErrorCode))]
    public void Create_EveryServerErrorCode_HasItsOwnTypedExceptionCarryingTheCode(ErrorCode code)
    {
        var exception = ZooKeeperErrors.Create(code, "/a/path");

        exception.Code.Should().Be(code);
        exception.Should().NotBeOfType<UnknownErrorException>();
        exception.GetType().Name.Should().Be(code + "Exception", "each code maps to the exception named after it");
        exception.Message.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Create_CodeTheClientDoesNotKnow_IsAnUnknownErrorWithTheNumber()
    {
        var exception = ZooKeeperErrors.Create((ErrorCode)(-999), "/a");

        exception.Should().BeOfType<UnknownErrorException>().Which.Message.Should().Contain("-999");
    }
}
