// cloudctl: the platform's command-line tool (issue 20 fills it in).
Console.Error.WriteLine("cloudctl: no commands yet");
return 2;
