using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Davies.Tests;

/// <summary>
/// The public surface of the library (front doors, results, options, the backend choice) is pinned by
/// docs/public-api.txt: one line per public type and per public or protected member. A change to the surface shows up
/// as a failing test with the lines added and removed; regenerate the file with
/// <c>DAVIES_UPDATE_PUBLIC_API=1 dotnet test tests/Davies.Tests --filter PublicApiTests</c> and review its diff.
/// </summary>
public class PublicApiTests
{
    private const string UpdateVariable = "DAVIES_UPDATE_PUBLIC_API";

    private static readonly string[] Header =
    [
        "# The public API of the Davies library (assembly Davies.Core): one line per public type (T:) and per public or",
        "# protected constructor, method (M:), property (P:), field (F:) and event (E:), sorted. Compiler-generated record",
        "# members (EqualityContract, <Clone>$, Equals, GetHashCode, ToString, PrintMembers, Deconstruct, the copy",
        "# constructor) are left out. Checked by tests/Davies.Tests/PublicApiTests.cs; lines starting with # are ignored.",
        "# To regenerate after an intended change: DAVIES_UPDATE_PUBLIC_API=1 dotnet test tests/Davies.Tests --filter PublicApiTests",
    ];

    [Fact]
    public void PublicApi_MatchesTheCheckedInSnapshot()
    {
        var actual = Lines(typeof(Davies.Solvers.SteadyState).Assembly);
        string path = Path.Combine(RepositoryRoot(), "docs", "public-api.txt");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllLines(path, [.. Header, .. actual]);
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing; create it with {UpdateVariable}=1");
        var expected = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (Compare(expected, actual) is { } message) Assert.Fail(message);
    }

    /// <summary>
    /// Null when <paramref name="actual"/> equals the snapshot <paramref name="expected"/>; else the failure message, one
    /// line "- …" per removed and "+ …" per added member.
    /// </summary>
    internal static string? Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        if (expected.SequenceEqual(actual)) return null;
        var missing = expected.Except(actual).ToList();
        var added = actual.Except(expected).ToList();
        var message = new StringBuilder("The public API differs from docs/public-api.txt.\n");
        foreach (var l in missing) message.Append("- ").Append(l).Append('\n');
        foreach (var l in added) message.Append("+ ").Append(l).Append('\n');
        if (missing.Count == 0 && added.Count == 0) message.Append("(same lines, different order or duplicates)\n");
        message.Append($"If the change is intended, regenerate the file with {UpdateVariable}=1 dotnet test tests/Davies.Tests --filter PublicApiTests and review its diff.");
        return message.ToString();
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Davies.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Davies.slnx) not found");
    }

    /// <summary>The sorted lines of the public surface of <paramref name="assembly"/>.</summary>
    internal static List<string> Lines(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetTypes().Where(IsVisible))
        {
            string name = TypeName(type);
            lines.Add($"T:{name}{TypeKind(type)}");
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var m in type.GetMembers(all))
            {
                if (m is Type || IsCompilerGenerated(m)) continue;
                switch (m)
                {
                    case ConstructorInfo c when IsVisible(c) && !IsCopyConstructor(c):
                        lines.Add($"M:{name}.#ctor({Parameters(c)}){(c.IsFamily || c.IsFamilyOrAssembly ? " protected" : "")}");
                        break;
                    case MethodInfo mi when IsVisible(mi) && !IsAccessor(mi):
                        lines.Add($"M:{name}.{mi.Name}{Generic(mi)}({Parameters(mi)}) : {TypeName(mi.ReturnType)}{Modifiers(mi)}");
                        break;
                    case PropertyInfo p when Accessors(p).Any(IsVisible):
                        string index = p.GetIndexParameters() is { Length: > 0 } ps ? $"[{string.Join(", ", ps.Select(Parameter))}]" : "";
                        lines.Add($"P:{name}.{p.Name}{index} : {TypeName(p.PropertyType)} {{ {string.Join(" ", Accessors(p).Where(IsVisible).Select(AccessorName))} }}");
                        break;
                    case FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly:
                        if (type.IsEnum && f.IsSpecialName) break; // value__
                        lines.Add($"F:{name}.{f.Name} : {TypeName(f.FieldType)}{FieldValue(f)}");
                        break;
                    case EventInfo e when e.AddMethod is { } add && IsVisible(add):
                        lines.Add($"E:{name}.{e.Name} : {TypeName(e.EventHandlerType!)}");
                        break;
                }
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static bool IsVisible(Type t) => t.IsVisible && !IsCompilerGenerated(t);

    private static bool IsVisible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static bool IsCompilerGenerated(MemberInfo m) =>
        m.IsDefined(typeof(CompilerGeneratedAttribute), false) || m.Name.Contains('<') || m.Name == "EqualityContract";

    // The record's copy constructor (protected T(T original)); the compiler does not mark it.
    private static bool IsCopyConstructor(ConstructorInfo c) =>
        c.GetParameters() is [var p] && p.ParameterType == c.DeclaringType && c.DeclaringType!.GetMethod("<Clone>$") is not null;

    private static bool IsAccessor(MethodInfo m) =>
        m.IsSpecialName && (m.Name.StartsWith("get_") || m.Name.StartsWith("set_") || m.Name.StartsWith("add_") || m.Name.StartsWith("remove_"));

    private static IEnumerable<MethodInfo> Accessors(PropertyInfo p) =>
        new[] { p.GetMethod, p.SetMethod }.Where(a => a is not null)!;

    private static string AccessorName(MethodInfo a) =>
        a.Name.StartsWith("get_") ? "get;" :
        a.ReturnParameter.GetRequiredCustomModifiers().Any(t => t == typeof(IsExternalInit)) ? "init;" : "set;";

    private static string TypeKind(Type t)
    {
        string kind = t.IsInterface ? "interface" : t.IsEnum ? "enum" : t.IsValueType ? "struct" : typeof(Delegate).IsAssignableFrom(t) ? "delegate" :
            t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";
        bool record = t.GetMethod("<Clone>$") is not null
            || t.IsValueType && t.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null;
        if (record) kind = t.IsValueType ? "record struct" : kind.Replace("class", "record");
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) && b != typeof(MulticastDelegate))
            bases.Add(TypeName(b));
        bases.AddRange(t.GetInterfaces().Where(i => i.IsVisible && (t.BaseType is null || !i.IsAssignableFrom(t.BaseType)))
            .Select(TypeName).Where(n => !n.StartsWith("System.IEquatable<")).Order(StringComparer.Ordinal));
        return $" ({kind})" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : "");
    }

    private static string Modifiers(MethodInfo m) =>
        (m.IsStatic ? " static" : "") + (m.IsAbstract ? " abstract" : m.IsVirtual && !m.IsFinal && m.DeclaringType is { IsSealed: false } ? " virtual" : "")
        + (m.IsFamily || m.IsFamilyOrAssembly ? " protected" : "");

    private static string Generic(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(Parameter));

    private static string Parameter(ParameterInfo p)
    {
        var type = p.ParameterType;
        string prefix = "";
        if (type.IsByRef)
        {
            prefix = p.IsOut ? "out " : p.IsIn ? "in " : "ref ";
            type = type.GetElementType()!;
        }
        if (p.IsDefined(typeof(ParamArrayAttribute), false)) prefix = "params " + prefix;
        string text = $"{prefix}{TypeName(type)} {p.Name}";
        if (p.HasDefaultValue) text += " = " + Literal(p.RawDefaultValue);
        return text;
    }

    private static string FieldValue(FieldInfo f) => f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : f.IsInitOnly ? " readonly" : "";

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string TypeName(Type t)
    {
        if (t.IsByRef) return TypeName(t.GetElementType()!) + "&";
        if (t.IsPointer) return TypeName(t.GetElementType()!) + "*";
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (t.IsGenericParameter) return t.Name;
        string name = t.IsNested ? TypeName(t.DeclaringType!) + "." + t.Name : (t.Namespace is null ? "" : t.Namespace + ".") + t.Name;
        if (!t.IsGenericType) return name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">";
    }
}
