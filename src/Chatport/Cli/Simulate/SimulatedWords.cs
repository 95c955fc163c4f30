namespace Chatport.Cli.Simulate;

/// <summary>The small built-in lists simulated chats are made of, in English and Spanish.</summary>
internal static class SimulatedWords
{
    public sealed record Place(string City, string Country, string CountryCode, bool Spanish);

    public sealed record Agent(int Id, string Name);

    public sealed record Page(string Path, string English, string Spanish);

    public static readonly string[] FirstNames =
        ["Emma", "Oliver", "Sophie", "James", "Grace", "Daniel", "Lucía", "Mateo", "Sofía", "Javier", "Carmen", "Diego", "Valentina", "Pablo"];

    public static readonly string[] LastNames =
        ["Smith", "Johnson", "Brown", "Taylor", "Walker", "García", "Martínez", "López", "Fernández", "Rodríguez", "Sánchez", "Romero"];

    public static readonly string[] MailDomains = ["example.com", "example.org", "example.net", "correo.example"];

    public static readonly Place[] Places =
    [
        new("London", "United Kingdom", "GB", false),
        new("Manchester", "United Kingdom", "GB", false),
        new("New York", "United States", "US", false),
        new("Chicago", "United States", "US", false),
        new("Dublin", "Ireland", "IE", false),
        new("Madrid", "Spain", "ES", true),
        new("Barcelona", "Spain", "ES", true),
        new("Ciudad de México", "Mexico", "MX", true),
        new("Buenos Aires", "Argentina", "AR", true),
        new("Bogotá", "Colombia", "CO", true),
    ];

    public static readonly (string UserAgent, string Platform)[] Browsers =
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Win32"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "MacIntel"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Linux x86_64"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", "iPhone"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Linux armv8l"),
    ];

    public static readonly string[] Referers = ["", "https://www.google.com/", "https://www.bing.com/", "https://news.example.org/deals"];

    public static readonly Page[] Pages =
    [
        new("/", "Home · Example Shop", "Inicio · Tienda Ejemplo"),
        new("/products/running-shoes", "Running shoes · Example Shop", "Zapatillas de running · Tienda Ejemplo"),
        new("/products/rain-jacket", "Rain jacket · Example Shop", "Chaqueta impermeable · Tienda Ejemplo"),
        new("/cart", "Your cart · Example Shop", "Tu carrito · Tienda Ejemplo"),
        new("/checkout", "Checkout · Example Shop", "Pago · Tienda Ejemplo"),
        new("/help/shipping", "Shipping · Example Shop", "Envíos · Tienda Ejemplo"),
        new("/help/returns", "Returns · Example Shop", "Devoluciones · Tienda Ejemplo"),
    ];

    public static readonly Agent[] Agents = [new(3, "John Doe"), new(5, "María García"), new(7, "Peter Walsh"), new(9, "Lucía Torres")];

    public static readonly string[] Triggers = ["Welcome trigger", "Cart trigger", "Checkout help"];

    public static string[] TriggerMessages(bool spanish) => spanish
        ? ["¡Hola! ¿Te podemos ayudar?", "¿Tienes alguna duda con tu pedido?", "Estamos aquí si necesitas algo."]
        : ["Hi! Can we help you?", "Any questions about your order?", "We are here if you need anything."];

    public static string[] Questions(bool spanish) => spanish
        ? ["Hola, ¿cuánto tarda el envío a mi ciudad?", "¿Tenéis esta talla en azul?", "No puedo terminar el pago, me da un error.",
            "¿Puedo devolver un producto después de 30 días?", "Hola, mi pedido no ha llegado todavía."]
        : ["Hello, how long does shipping take?", "Do you have this in size 42?", "I can't finish the checkout, it shows an error.",
            "Can I return an item after 30 days?", "Hi, my order hasn't arrived yet."];

    public static string[] FollowUps(bool spanish) => spanish
        ? ["Vale, ¿y el envío es gratis?", "El número de pedido es 48213.", "¿Y si lo cambio por otro color?", "Perfecto, lo pruebo ahora."]
        : ["OK, and is shipping free?", "The order number is 48213.", "What if I exchange it for another colour?", "Great, I'll try that now."];

    public static string[] Answers(bool spanish) => spanish
        ? ["¡Hola! Claro, déjame comprobarlo.", "El envío tarda de 2 a 4 días laborables.", "Sí, la tenemos en stock.",
            "Prueba con otra tarjeta o recarga la página, por favor.", "Te he enviado un correo con los detalles."]
        : ["Hi! Sure, let me check that for you.", "Shipping takes 2 to 4 working days.", "Yes, we have it in stock.",
            "Please try another card or reload the page.", "I've sent you an e-mail with the details."];

    public static string[] Thanks(bool spanish) => spanish
        ? ["¡Gracias!", "Muchas gracias, muy amable.", "Perfecto, gracias."]
        : ["Thanks!", "Thank you, that helps.", "Perfect, thanks."];

    public static string[] Goodbyes(bool spanish) => spanish
        ? ["De nada, ¡que tengas un buen día!", "Un placer ayudarte."]
        : ["You're welcome, have a nice day!", "Happy to help."];

    public static string[] Unanswered(bool spanish) => spanish
        ? ["¿Hay alguien?", "Hola, ¿me podéis ayudar?", "Necesito ayuda con mi pedido."]
        : ["Is anyone there?", "Hello, can someone help me?", "I need help with my order."];

    public static string[] OfflineMessages(bool spanish) => spanish
        ? ["Hola, escribo fuera de horario: ¿podéis llamarme mañana?", "Quiero cambiar la dirección de envío de mi pedido 48213."]
        : ["Hi, writing after hours: could you call me tomorrow?", "I'd like to change the delivery address of order 48213."];

    public static string[] RatingComments(bool spanish) => spanish
        ? ["Muy rápidos, gracias.", "Me ayudaron mucho.", "Tardaron un poco en contestar."]
        : ["Very quick, thanks.", "Really helpful.", "Took a while to answer."];
}
