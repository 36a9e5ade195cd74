import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { detectHost } from "./office/host";
import { App } from "./taskpane/App";

async function start(): Promise<void> {
  const root = document.getElementById("root");
  if (!root) return;
  const host = await detectHost();
  document.documentElement.dataset.host = host.kind;
  createRoot(root).render(
    <StrictMode>
      <FluentProvider theme={webLightTheme}>
        <App host={host} />
      </FluentProvider>
    </StrictMode>,
  );
}

void start();
