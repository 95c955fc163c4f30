using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Chatport.Portal;

/// <summary>
/// A form posted without its antiforgery token (forged from another site, or a page kept open past its token) is
/// refused by the framework with an empty 400; this shows a page that says so, in the person's language, instead.
/// Nothing was changed.
/// </summary>
internal sealed class FormRefusedFilter : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = new PartialViewResult
            {
                ViewName = "_FormRefused",
                StatusCode = StatusCodes.Status400BadRequest,
                ViewData = new ViewDataDictionary(new Microsoft.AspNetCore.Mvc.ModelBinding.EmptyModelMetadataProvider(), context.ModelState),
            };
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
