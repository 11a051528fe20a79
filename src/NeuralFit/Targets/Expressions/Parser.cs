using System.Runtime.CompilerServices;

namespace NeuralFit.Targets.Expressions;

/// <summary>The parse: the tree as written, and which inputs it reads.</summary>
internal sealed record ParsedExpression(Node Root, int HighestInput, bool UsesNumberedInputs);

/// <summary>
/// Recursive descent over the tokens:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := ('-' | '+')* power            -x^2 is -(x^2), as in maths
/// power   := primary ('^' unary)?          right-associative, and 2^-1 works
/// primary := number | constant | input | function '(' sum (',' sum)* ')' | '(' sum ')'
/// </code>
/// Every parenthesis, call, sign and '^' opens a level; more than <see cref="TargetExpression.MaxDepth"/> open at once
/// is refused before the recursion goes deeper, so hostile input cannot overflow the stack here, and the tree it
/// builds is at most about 3 × MaxDepth deep for the folder, printer and compiler to walk. In a published build these
/// recursive methods are precompiled (ReadyToRun), about 200 KB of stack at the depth limit; elsewhere they start as
/// unoptimised tier-0 code, about 400 KB, well inside a thread's usual 1.5–8 MB and checked before each level. They
/// are not AggressiveOptimization, which would keep them out of the precompiled image: JIT-compiling the eleven of
/// them with full optimisation took about 10 ms of every start-up (benchmarks/README.md, "Start-up, again").
/// </summary>
internal sealed class Parser
{
    readonly string _source;
    readonly List<Token> _tokens;
    int _next;  // index of the current token
    int _depth; // levels open now

    Token? _plainInput;     // the first x, if any
    Token? _numberedInput;  // the first xk, if any
    int _highestNumbered;

    Parser(string source)
    {
        _source = source;
        _tokens = Lexer.Tokenize(source);
    }

    public static ParsedExpression Parse(string source)
    {
        if (source.Length > TargetExpression.MaxLength)
            throw new InputError($"expression is {source.Length} characters long; the limit is {TargetExpression.MaxLength}");
        var parser = new Parser(source);
        if (parser.Current.Kind == TokenKind.End) throw new InputError("empty expression");
        Node root = parser.ParseChain(isSum: true);
        if (parser.Current.Kind != TokenKind.End) throw parser.NoOperator(parser.Current);
        int highest = parser._plainInput is not null ? 1 : parser._highestNumbered;
        return new ParsedExpression(root, highest, parser._numberedInput is not null);
    }

    Token Current => _tokens[_next];

    Token Take() => _tokens[_next++];

    string Text(Token token) => SourceText.Quote(_source, token);

    void Enter(Token opener)
    {
        if (++_depth > TargetExpression.MaxDepth)
            throw new InputError($"expression nests deeper than {TargetExpression.MaxDepth} levels at column {opener.Column} " +
                                 "(each parenthesis, function call, sign and '^' opens a level)");
        // A thread with too little stack for the limit is refused here rather than crashed.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new InputError($"expression nests too deeply for this thread's stack at column {opener.Column}");
    }

    // sum := product (('+' | '-') product)*    product := unary (('*' | '/') unary)*
    Node ParseChain(bool isSum)
    {
        Node first = isSum ? ParseChain(isSum: false) : ParseUnary();
        if (OperatorOf(Current.Kind, isSum) is null) return first;

        int start = first.Start;
        var rest = new List<Link>();
        if (first is Chain group && group.IsSum == isSum)
        {
            // (a + b) + c is a + b + c: the same operations in the same order, so one flat chain.
            first = group.First;
            rest.AddRange(group.Rest);
        }
        while (OperatorOf(Current.Kind, isSum) is ChainOperator op)
        {
            _next++;
            rest.Add(new Link(op, isSum ? ParseChain(isSum: false) : ParseUnary()));
        }
        return new Chain(first, [.. rest], start, rest[^1].Operand.End);
    }

    static ChainOperator? OperatorOf(TokenKind kind, bool isSum) => (kind, isSum) switch
    {
        (TokenKind.Plus, true) => ChainOperator.Add,
        (TokenKind.Minus, true) => ChainOperator.Subtract,
        (TokenKind.Star, false) => ChainOperator.Multiply,
        (TokenKind.Slash, false) => ChainOperator.Divide,
        _ => null,
    };

    // unary := ('-' | '+')* power. The signs are counted in a loop, not by recursion; a '+' leaves no node.
    Node ParseUnary()
    {
        int depthBefore = _depth;
        List<int>? minuses = null;
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            Token sign = Take();
            Enter(sign);
            if (sign.Kind == TokenKind.Minus) (minuses ??= []).Add(sign.Start);
        }
        Node node = ParsePower();
        for (int i = (minuses?.Count ?? 0) - 1; i >= 0; i--) node = new Negate(node, minuses![i], node.End);
        _depth = depthBefore;
        return node;
    }

    // power := primary ('^' unary)?
    Node ParsePower()
    {
        Node @base = ParsePrimary();
        if (Current.Kind != TokenKind.Caret) return @base;
        Enter(Take());
        Node exponent = ParseUnary();
        _depth--;
        return new Power(@base, exponent, @base.Start, exponent.End);
    }

    Node ParsePrimary()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                _next++;
                return new Number(token.Number, token.Start, token.End);
            case TokenKind.Name:
                _next++;
                return ParseName(token);
            case TokenKind.OpenParen:
                return ParseGroup();
            default:
                throw NoOperand(token);
        }
    }

    // '(' sum ')'
    Node ParseGroup()
    {
        Token open = Take();
        Enter(open);
        if (Current.Kind == TokenKind.CloseParen) throw EmptyParentheses(open);
        if (Current.Kind == TokenKind.End) throw MissingClose(open);
        Node inner = ParseChain(isSum: true);
        Token close = ExpectClose(open);
        _depth--;
        return inner with { Start = open.Start, End = close.End };
    }

    // function '(' sum (',' sum)* ')'
    Node ParseCall(Token name, Function function)
    {
        Token open = Take();
        Enter(open);
        var arguments = new List<Node>(function.Arity);
        if (Current.Kind == TokenKind.End) throw MissingClose(open);
        if (Current.Kind != TokenKind.CloseParen)
        {
            arguments.Add(ParseChain(isSum: true));
            while (Current.Kind == TokenKind.Comma)
            {
                _next++;
                arguments.Add(ParseChain(isSum: true));
            }
        }
        Token close = ExpectClose(open);
        _depth--;
        if (arguments.Count != function.Arity) throw WrongArgumentCount(name, function, arguments.Count);
        return new Call(function, [.. arguments], name.Start, close.End);
    }

    Token ExpectClose(Token open)
    {
        if (Current.Kind == TokenKind.CloseParen) return Take();
        if (Current.Kind == TokenKind.End) throw MissingClose(open);
        throw NoOperator(Current);
    }

    Node ParseName(Token token)
    {
        string name = _source.Substring(token.Start, token.Length);
        if (Functions.TryGet(name, out Function? function))
        {
            if (Current.Kind != TokenKind.OpenParen) throw NoParentheses(token, function);
            return ParseCall(token, function);
        }
        if (NamedConstants.TryGet(name, out double value)) return new Constant(name, value, token.Start, token.End);
        if (name == "x") return UsePlainInput(token);
        if (name.Length > 1 && name[0] == 'x' && !name.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
            return UseNumberedInput(token, name);
        throw UnknownName(token, name);
    }

    Node UsePlainInput(Token token)
    {
        if (_numberedInput is Token numbered) throw Mixed(token, numbered);
        _plainInput ??= token;
        return new Input(0, Numbered: false, token.Start, token.End);
    }

    Node UseNumberedInput(Token token, string name)
    {
        if (name[1] == '0')
            throw new InputError($"input '{Text(token)}' at column {token.Column} is not valid: inputs are x1, x2, ... " +
                                 "with no leading zeros");
        if (name.Length > 6 || int.Parse(name.AsSpan(1)) > TargetExpression.MaxInputs)
            throw new InputError($"input '{Text(token)}' at column {token.Column} is beyond the limit of " +
                                 $"{TargetExpression.MaxInputs} inputs");
        if (_plainInput is Token plain) throw Mixed(token, plain);
        int number = int.Parse(name.AsSpan(1));
        _numberedInput ??= token;
        _highestNumbered = Math.Max(_highestNumbered, number);
        return new Input(number - 1, Numbered: true, token.Start, token.End);
    }

    // The errors, built here rather than inline so that the recursive methods above keep small stack frames.

    InputError NoOperand(Token token)
    {
        if (token.Kind != TokenKind.End) return new InputError($"unexpected '{Text(token)}' at column {token.Column}");
        Token before = _tokens[_next - 1];
        return new InputError($"missing operand after '{Text(before)}' at column {before.Column}");
    }

    static InputError EmptyParentheses(Token open) => new($"empty parentheses at column {open.Column}");

    InputError MissingClose(Token open) =>
        new($"missing ')' at column {Current.Column} (opened at column {open.Column})");

    static InputError WrongArgumentCount(Token name, Function function, int given) =>
        new($"function '{function.Name}' at column {name.Column} takes " +
            $"{(function.Arity == 1 ? "1 argument" : $"{function.Arity} arguments")}, got {given}");

    static InputError NoParentheses(Token name, Function function) =>
        new($"function '{function.Name}' at column {name.Column} needs its argument{(function.Arity == 1 ? "" : "s")} " +
            $"in parentheses, e.g. '{function.Name}({(function.Arity == 1 ? "x" : "x, 2")})'");

    /// <summary>The error for a token after a complete operand that is no operator, nor whatever may end the operand there.</summary>
    InputError NoOperator(Token token)
    {
        if (token.Kind == TokenKind.CloseParen || !token.StartsOperand)
            return new InputError($"unexpected '{Text(token)}' at column {token.Column}");
        Token before = _tokens[_next - 1];
        string hint = token.Kind != TokenKind.OpenParen && before.Kind is TokenKind.Number or TokenKind.Name
            ? $"write '{Text(before)}*{Text(token)}' to multiply"
            : "use '*' to multiply";
        return new InputError($"expected an operator at column {token.Column}, found '{Text(token)}' ({hint})");
    }

    InputError Mixed(Token later, Token earlier) =>
        new($"'{Text(later)}' at column {later.Column} mixes x with numbered inputs ('{Text(earlier)}' at column " +
            $"{earlier.Column}); write x alone for one input, or x1..xn for several");

    InputError UnknownName(Token token, string name)
    {
        bool called = Current.Kind == TokenKind.OpenParen;
        string? suggestion = NameSuggestions.Closest(name, called);
        string hint = suggestion is not null ? $"did you mean '{suggestion}'?"
            : called ? $"known functions: {string.Join(", ", Functions.Names)}"
            : "use x, or x1..xn for several inputs";
        return new InputError($"unknown {(called ? "function" : "name")} '{Text(token)}' at column {token.Column} ({hint})");
    }
}
