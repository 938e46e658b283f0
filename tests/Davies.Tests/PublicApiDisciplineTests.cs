using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

namespace Davies.Tests;

/// <summary>
/// The guards of the public API: the snapshot comparison (<see cref="PublicApiTests"/>) fails on a public member added
/// without updating docs/public-api.txt, and every public type and member of Davies.Core carries XML documentation
/// (besides the compiler's CS1591, an error in src/Davies/Davies.csproj).
/// </summary>
public class PublicApiDisciplineTests
{
    /// <summary>A real assembly, emitted here, with one public type; <paramref name="extra"/> adds a public method.</summary>
    private static Assembly Emit(bool extra)
    {
        var asm = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Davies.ApiProbe" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var module = asm.DefineDynamicModule("probe");
        var type = module.DefineType("Davies.ApiProbe.Widget", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed);
        type.DefineDefaultConstructor(MethodAttributes.Public);
        void Method(string name)
        {
            var m = type.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, typeof(double), [typeof(int)]);
            m.DefineParameter(1, ParameterAttributes.None, "count");
            var il = m.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Conv_R8);
            il.Emit(OpCodes.Ret);
        }
        Method("Rate");
        if (extra) Method("Gap");
        type.CreateType();
        return asm;
    }

    [Fact]
    public void Snapshot_Fails_WhenAPublicMemberIsAddedWithoutUpdatingIt()
    {
        var snapshot = PublicApiTests.Lines(Emit(extra: false));
        var grown = PublicApiTests.Lines(Emit(extra: true));
        Assert.Null(PublicApiTests.Compare(snapshot, snapshot));
        var message = PublicApiTests.Compare(snapshot, grown);
        Assert.NotNull(message);
        Assert.Contains("+ M:Davies.ApiProbe.Widget.Gap(System.Int32 count) : System.Double static", message);
        Assert.DoesNotContain("- ", message);
        Assert.Contains("DAVIES_UPDATE_PUBLIC_API=1", message);
    }

    [Fact]
    public void Snapshot_Fails_WhenAPublicMemberIsRemoved()
    {
        var message = PublicApiTests.Compare(PublicApiTests.Lines(Emit(extra: true)), PublicApiTests.Lines(Emit(extra: false)));
        Assert.NotNull(message);
        Assert.Contains("- M:Davies.ApiProbe.Widget.Gap(System.Int32 count) : System.Double static", message);
    }

    [Fact]
    public void Snapshot_Fails_WhenTheLibrarySurfaceGainsALine()
    {
        // The same comparison the snapshot test makes, on the library's own surface with one line more.
        var actual = PublicApiTests.Lines(typeof(Davies.Solvers.SteadyState).Assembly);
        var grown = actual.Append("M:Davies.Solvers.SteadyState.Extra() : System.Void static").Order(StringComparer.Ordinal).ToList();
        Assert.Contains("+ M:Davies.Solvers.SteadyState.Extra() : System.Void static", PublicApiTests.Compare(actual, grown));
    }

    [Fact]
    public void LibraryProject_TreatsAMissingXmlCommentAsAnError()
    {
        var project = XDocument.Load(Path.Combine(PublicApiTests.RepositoryRoot(), "src", "Davies", "Davies.csproj"));
        var props = XDocument.Load(Path.Combine(PublicApiTests.RepositoryRoot(), "Directory.Build.props"));
        string Value(string name) => string.Join(";", project.Descendants(name).Concat(props.Descendants(name)).Select(e => e.Value));
        Assert.Contains("true", Value("GenerateDocumentationFile"));
        Assert.True(Value("TreatWarningsAsErrors").Contains("true") || Value("WarningsAsErrors").Contains("CS1591"));
        Assert.DoesNotContain("1591", Value("NoWarn"));
        Assert.DoesNotContain("1591", Value("WarningsNotAsErrors"));
    }

    [Fact]
    public void EveryPublicMember_HasXmlDocumentation()
    {
        var assembly = typeof(Davies.Solvers.SteadyState).Assembly;
        string configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string xml = Path.Combine(PublicApiTests.RepositoryRoot(), "src", "Davies", "bin", configuration, "net10.0", "Davies.Core.xml");
        Assert.True(File.Exists(xml), $"{xml} is missing: the library must generate its XML documentation");
        var documented = XDocument.Load(xml).Descendants("member")
            .Where(m => m.Elements().Any(e => e.Name.LocalName is "summary" or "inheritdoc" && e.Value.Trim().Length > 0 || e.Name.LocalName == "inheritdoc"))
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet(StringComparer.Ordinal);
        var missing = DocumentationIds(assembly).Where(id => !documented.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "public members without an XML <summary>:\n" + string.Join("\n", missing));
        Assert.True(documented.Count > 500, $"only {documented.Count} documented members found in {xml}");
    }

    /// <summary>The documentation ids (ECMA-334 annex D) of the public types and members that the snapshot lists.</summary>
    private static IEnumerable<string> DocumentationIds(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(t => t.IsVisible && !t.IsDefined(typeof(CompilerGeneratedAttribute), false)))
        {
            string name = TypeId(type, definition: true);
            yield return "T:" + name;
            bool record = type.GetMethod("<Clone>$") is not null
                || type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null;
            foreach (var m in type.GetMembers(all))
            {
                if (m is Type || m.IsDefined(typeof(CompilerGeneratedAttribute), false) || m.Name.Contains('<') || m.Name == "EqualityContract") continue;
                switch (m)
                {
                    case ConstructorInfo c when Visible(c):
                        if (c.GetParameters() is [var p] && p.ParameterType == type && record) break; // copy constructor
                        if (c.GetParameters().Length == 0) break; // an implicit default constructor needs no comment
                        yield return $"M:{name}.#ctor{Parameters(c)}";
                        break;
                    case MethodInfo mi when Visible(mi) && !mi.IsSpecialName:
                        if (record && mi.Name is "Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "PrintMembers") break;
                        if (mi.Name.StartsWith("op_", StringComparison.Ordinal) && record) break;
                        string generic = mi.IsGenericMethodDefinition ? "``" + mi.GetGenericArguments().Length : "";
                        yield return $"M:{name}.{mi.Name}{generic}{Parameters(mi)}";
                        break;
                    case PropertyInfo pi when new[] { pi.GetMethod, pi.SetMethod }.Any(a => a is not null && Visible(a)):
                        yield return $"P:{name}.{pi.Name}{Parameters(pi.GetIndexParameters())}";
                        break;
                    case FieldInfo f when (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !f.IsSpecialName:
                        yield return $"F:{name}.{f.Name}";
                        break;
                    case EventInfo e when e.AddMethod is { } add && Visible(add):
                        yield return $"E:{name}.{e.Name}";
                        break;
                }
            }
        }
    }

    private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static string Parameters(MethodBase m) => Parameters(m.GetParameters());

    private static string Parameters(ParameterInfo[] ps) =>
        ps.Length == 0 ? "" : "(" + string.Join(",", ps.Select(p => TypeId(p.ParameterType, definition: false))) + ")";

    private static string TypeId(Type t, bool definition)
    {
        if (t.IsByRef) return TypeId(t.GetElementType()!, false) + "@";
        if (t.IsPointer) return TypeId(t.GetElementType()!, false) + "*";
        if (t.IsArray)
            return TypeId(t.GetElementType()!, false) + (t.GetArrayRank() == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", t.GetArrayRank())) + "]");
        if (t.IsGenericParameter) return (t.DeclaringMethod is not null ? "``" : "`") + t.GenericParameterPosition;
        string outer = t.IsNested ? TypeId(t.DeclaringType!, definition) + "." : t.Namespace is null ? "" : t.Namespace + ".";
        string name = t.Name;
        if (!t.IsGenericType) return outer + name;
        int tick = name.IndexOf('`');
        if (definition || t.IsGenericTypeDefinition) return outer + name;
        string bare = tick >= 0 ? name[..tick] : name;
        int own = t.GetGenericArguments().Length - (t.IsNested ? t.DeclaringType!.GetGenericArguments().Length : 0);
        var args = t.GetGenericArguments().Skip(t.GetGenericArguments().Length - own).Select(a => TypeId(a, false));
        return outer + (own > 0 ? bare + "{" + string.Join(",", args) + "}" : bare);
    }
}
