import { render } from "preact"; render(<p>Steep</p>, document.getElementById("app")!);
